// Files in the whole window (issue 16), offscreen against a real
// in-process server: Bob's client sends a photo and a PDF; Mei's window
// shows the photo's thumbnail and the PDF's card. Mei pastes a screenshot
// (Ctrl+V with an image on the clipboard): a chip with its preview appears
// in the composer; Enter sends it, and the thumbnail shows in the timeline;
// a click opens the viewer. Saves screenshots (light and dark) to
// $CONFAB_TEST_ARTIFACTS.
#include "client_app_fixture.h"
#include "forged_images.h"
#include "main_window.h"
#include "window_test_support.h"

#include "../server/file_helpers.h"

#include <QClipboard>
#include <QDropEvent>
#include <QGuiApplication>
#include <QMimeData>
#include <QPainter>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace confab::test;
using confab::client::ChatClient;
using confab::client::FilesController;

namespace {

bool imageReady(QQuickItem* item)
{
    return item->property("status").toInt() == 1; // Image.Ready
}

// A made-up screenshot: a window with a title bar, a sidebar and some lines.
QImage screenshotImage()
{
    QImage image(1280, 800, QImage::Format_RGB32);
    image.fill(QColor("#f2f4f7"));
    QPainter p(&image);
    p.fillRect(0, 0, 1280, 48, QColor("#1d6fd8"));
    p.fillRect(0, 48, 300, 752, QColor("#dde1e6"));
    for (int i = 0; i < 12; ++i)
        p.fillRect(340, 90 + i * 52, 500 + (i * 97) % 380, 22, QColor("#8a929c"));
    p.setBrush(QColor("#d9480f"));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QPoint(1100, 600), 120, 120);
    return image;
}

QImage photoImage()
{
    QImage image(900, 1200, QImage::Format_RGB32);
    QPainter p(&image);
    QLinearGradient sky(0, 0, 0, 1200);
    sky.setColorAt(0, QColor("#74c0fc"));
    sky.setColorAt(0.6, QColor("#ffd8a8"));
    sky.setColorAt(1, QColor("#2b8a3e"));
    p.fillRect(image.rect(), sky);
    p.setBrush(QColor("#fff3bf"));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QPoint(620, 380), 90, 90);
    return image;
}

// An upload by hand (a hostile client says what it likes): the file id, 0 on failure.
qint64 uploadImage(TestClient& c, qint64 roomId, const QByteArray& bytes, const QString& name, int width,
                   int height)
{
    const QJsonObject reply =
        c.request(QStringLiteral("upload_file"), {{QStringLiteral("roomId"), roomId},
                                                  {QStringLiteral("name"), name},
                                                  {QStringLiteral("size"), bytes.size()},
                                                  {QStringLiteral("sha256"), sha256Hex(bytes)},
                                                  {QStringLiteral("mime"), QStringLiteral("image/png")},
                                                  {QStringLiteral("width"), width},
                                                  {QStringLiteral("height"), height}});
    if (typeOf(reply) != QLatin1String("upload"))
        return 0;
    const qint64 fileId = idIn(payloadOf(reply), "fileId");
    sendChunks(c, fileId, bytes);
    if (c.waitFor(QStringLiteral("upload_done"), 10000, fileIdIs(fileId)).isEmpty())
        return 0;
    return fileId;
}

} // namespace

class TestFilesWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void pasteSendShowAndView();
    void hostileImagesShowPlaceholders();
};

void TestFilesWindow::pasteSendShowAndView()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 dm = openDm(*bob, mei->userId);
    QVERIFY(dm);

    ChatClient client(ClientFixture::options(QStringLiteral("files-window")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    window->resize(1000, 700);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(ClientFixture::signIn(client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(client, dm));
    QTemporaryDir dir;
    QQuickItem* list = window->findChild<QQuickItem*>(QStringLiteral("messageList"));
    QVERIFY(list);
    // A file dropped on the conversation waits in the composer (the window
    // gets the drag events a desktop would send; offscreen has no drag source).
    const QString notes = dir.filePath(QStringLiteral("会议纪要 notes.txt"));
    {
        QFile f(notes);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("agenda\n");
    }
    QQuickItem* dropArea = window->findChild<QQuickItem*>(QStringLiteral("fileDropArea"));
    QVERIFY(dropArea);
    const QPoint at = dropArea->mapToScene(QPointF(dropArea->width() / 2, dropArea->height() / 2)).toPoint();
    QMimeData dragged;
    dragged.setUrls({QUrl::fromLocalFile(notes)});
    QDragEnterEvent enter(at, Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &enter);
    QTRY_VERIFY(dropArea->property("containsDrag").toBool());
    QVERIFY(saveScreenshot(window, QStringLiteral("files-drop")));
    QDropEvent drop(at, Qt::CopyAction, &dragged, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(window, &drop);
    auto* pending = client.files()->pending();
    QTRY_COMPARE(pending->count(), 1);
    QVERIFY(!dropArea->property("containsDrag").toBool());
    const QHash<int, QByteArray> roles = pending->roleNames();
    QCOMPARE(pending->index(0).data(roles.key("name")).toString(), QStringLiteral("会议纪要 notes.txt"));
    client.files()->remove(pending->index(0).data(roles.key("key")).toString());
    QTRY_COMPARE(pending->count(), 0);
    // Ctrl+V with a screenshot on the clipboard: a chip with its preview.
    QGuiApplication::clipboard()->setImage(screenshotImage());
    QQuickItem* input = window->findChild<QQuickItem*>(QStringLiteral("composerInput"));
    QVERIFY(input);
    input->forceActiveFocus();
    QTRY_VERIFY(input->hasActiveFocus());
    QTest::keySequence(window, QKeySequence::Paste);
    QQuickItem* chips = window->findChild<QQuickItem*>(QStringLiteral("attachmentChips"));
    QVERIFY(chips);
    QTRY_COMPARE(client.files()->pending()->count(), 1);
    QCOMPARE(input->property("text").toString(), QString()); // not pasted as text
    QTRY_VERIFY_WITH_TIMEOUT(countVisible(chips, QStringLiteral("attachmentPreview"), imageReady) == 1,
                             10000);
    input->setProperty("text", QStringLiteral("Here is the bug"));
    QVERIFY(saveScreenshot(window, QStringLiteral("files-composer-light"), 500)); // pictures settle
    QObject* themeObject = windowTheme(window);
    QVERIFY(themeObject);
    themeObject->setProperty("mode", QStringLiteral("dark"));
    QVERIFY(saveScreenshot(window, QStringLiteral("files-composer-dark"), 500)); // pictures settle
    themeObject->setProperty("mode", QStringLiteral("light"));

    // Bob sends a photo and a PDF from a client of his own.
    const QString photo = dir.filePath(QStringLiteral("Sunset at the lake.jpg"));
    QVERIFY(photoImage().save(photo, "JPEG", 85));
    const QString pdf = dir.filePath(QStringLiteral("Quarterly report (final, v3).pdf"));
    {
        QFile f(pdf);
        QVERIFY(f.open(QIODevice::WriteOnly));
        QByteArray bytes(480 * 1024, 'x');
        bytes.prepend("%PDF-1.4\n");
        f.write(bytes);
    }
    auto bobClient = ClientFixture::create(QStringLiteral("files-window-bob"));
    QVERIFY(ClientFixture::signIn(*bobClient, server.url(), QStringLiteral("bob"), 1));
    QVERIFY(ClientFixture::openRoom(*bobClient, dm));
    bobClient->files()->addFiles({QUrl::fromLocalFile(photo), QUrl::fromLocalFile(pdf)});
    QVERIFY(QTest::qWaitFor([&] { return !bobClient->files()->preparing(); }, 10000));
    bobClient->composer()->sendMessage(QStringLiteral("Photos from Saturday, and the report"), {});
    QTRY_VERIFY_WITH_TIMEOUT(bobClient->composer()->unsentCount() == 0 && allSent(*bobClient), 20000);

    // Bob's photo through its thumbnail (fetched, checked, decoded off the
    // GUI thread) and his PDF as a card.
    QTRY_VERIFY_WITH_TIMEOUT(countVisible(list, QStringLiteral("attachmentThumbnail"), imageReady) == 1,
                             10000);
    QCOMPARE(countVisible(list, QStringLiteral("attachmentFile")), 1);

    // A file over the limit is refused with a sentence, nothing attached.
    QTemporaryDir bigDir;
    QFile big(bigDir.filePath(QStringLiteral("too big.iso")));
    QVERIFY(big.open(QIODevice::WriteOnly));
    QVERIFY(big.resize(FilesController::kMaxFileBytes + 1));
    big.close();
    client.files()->addFiles({QUrl::fromLocalFile(big.fileName())});
    QCOMPARE(client.files()->pending()->count(), 1);
    QQuickItem* notice = window->findChild<QQuickItem*>(QStringLiteral("filesNotice"));
    QVERIFY(notice);
    QTRY_VERIFY(notice->isVisible());
    QVERIFY(notice->property("text").toString().contains(QStringLiteral("too big.iso")));
    client.files()->dismissError();
    QTRY_VERIFY(!notice->isVisible());

    // Enter sends: uploaded, then the message; my thumbnail in the timeline.
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_COMPARE(client.files()->pending()->count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(client.composer()->unsentCount() == 0 && allSent(client), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(countVisible(list, QStringLiteral("attachmentThumbnail"), imageReady) == 2,
                             10000);
    QVERIFY(saveScreenshot(window, QStringLiteral("files-timeline-light"), 500)); // pictures settle
    themeObject->setProperty("mode", QStringLiteral("dark"));
    QVERIFY(saveScreenshot(window, QStringLiteral("files-timeline-dark"), 500)); // pictures settle
    themeObject->setProperty("mode", QStringLiteral("light"));

    // A click on Bob's photo opens the viewer, the full image fetched.
    QObject* viewer = window->findChild<QObject*>(QStringLiteral("imageViewer"));
    QVERIFY(viewer);
    QList<QQuickItem*> frames;
    std::function<void(QQuickItem*)> collect = [&](QQuickItem* item) {
        for (QQuickItem* child : item->childItems()) {
            if (child->isVisible() && child->objectName() == QLatin1String("attachmentImage"))
                frames << child;
            collect(child);
        }
    };
    collect(list);
    QVERIFY(!frames.isEmpty());
    const QPointF centre =
        frames.first()->mapToScene(QPointF(frames.first()->width() / 2, frames.first()->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
    QTRY_VERIFY(viewer->property("opened").toBool());
    QQuickItem* full = window->findChild<QQuickItem*>(QStringLiteral("viewerImage"));
    if (!full) { // popups live in the overlay, outside the window's children
        for (QQuickItem* item :
             window->contentItem()->findChildren<QQuickItem*>(QStringLiteral("viewerImage")))
            full = item;
    }
    QVERIFY(full);
    QTRY_VERIFY_WITH_TIMEOUT(imageReady(full), 10000);
    QObject* zoomIn = viewer->findChild<QObject*>(QStringLiteral("viewerZoomIn"));
    QVERIFY(zoomIn);
    QMetaObject::invokeMethod(zoomIn, "clicked");
    QCOMPARE(viewer->property("zoom").toDouble(), 1.25);
    QVERIFY(saveScreenshot(window, QStringLiteral("files-viewer"), 500)); // pictures settle
    QMetaObject::invokeMethod(viewer, "close");
}

// Bob's client lies: one image declares 60000×60000 (a placeholder, never
// fetched, never decoded); another declares 800×600 but it and its
// thumbnail claim 100000×100000 in their headers (the thumbnail is fetched,
// refused from its header, and the frame says so). The window stays usable.
void TestFilesWindow::hostileImagesShowPlaceholders()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 dm = openDm(*bob, mei->userId);
    QVERIFY(dm);
    const QByteArray bomb = pngClaiming(100000, 100000); // 40 GB of pixels, a tiny IDAT
    const qint64 huge = uploadImage(*bob, dm, bomb, QStringLiteral("huge.png"), 60000, 60000);
    const qint64 liar =
        uploadImage(*bob, dm, bomb + QByteArray(1, 'x'), QStringLiteral("holiday.png"), 800, 600);
    const qint64 liarThumb =
        uploadImage(*bob, dm, bomb + QByteArray(2, 'x'), QStringLiteral("thumbnail.png"), 320, 240);
    QVERIFY(huge && liar && liarThumb);
    QJsonArray attachments = attach({huge});
    attachments.append(QJsonObject{{QStringLiteral("id"), liar}, {QStringLiteral("thumbnailId"), liarThumb}});
    QCOMPARE(typeOf(sendWithAttachments(*bob, dm, attachments, QStringLiteral("look at these"))),
             QStringLiteral("message_ack"));

    ChatClient client(ClientFixture::options(QStringLiteral("files-window-hostile")));
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(window);
    window->resize(1000, 700);
    QVERIFY(QTest::qWaitForWindowExposed(window));
    QVERIFY(ClientFixture::signIn(client, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(client, dm));
    QQuickItem* list = window->findChild<QQuickItem*>(QStringLiteral("messageList"));
    QVERIFY(list);
    QTRY_COMPARE(countVisible(list, QStringLiteral("attachmentPlaceholder")), 1);
    QTRY_VERIFY_WITH_TIMEOUT(countVisible(list, QStringLiteral("attachmentThumbnail"),
                                          [](QQuickItem* image) {
                                              return image->property("status").toInt() == 3; // Image.Error
                                          }) == 1,
                             10000);
    // The huge one was never downloaded; the lying thumbnail was (and refused).
    const QString cache = client.files()->cacheDirectory();
    QVERIFY(!QFileInfo::exists(QDir(cache).filePath(QString::number(huge))));
    QVERIFY(QFileInfo::exists(QDir(cache).filePath(QString::number(liarThumb))));
    QVERIFY(saveScreenshot(window, QStringLiteral("files-hostile-light"), 500)); // pictures settle
    QObject* themeObject = windowTheme(window);
    QVERIFY(themeObject);
    themeObject->setProperty("mode", QStringLiteral("dark"));
    QVERIFY(saveScreenshot(window, QStringLiteral("files-hostile-dark"), 500)); // pictures settle
    themeObject->setProperty("mode", QStringLiteral("light"));
}

QTEST_MAIN(TestFilesWindow)
#include "tst_files_window.moc"
