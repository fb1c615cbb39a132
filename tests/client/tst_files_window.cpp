// Files in the whole window (issue 16), offscreen against a real
// in-process server: Bob's client sends a photo and a PDF; Mei's window
// shows the photo's thumbnail and the PDF's card. Mei pastes a screenshot
// (Ctrl+V with an image on the clipboard): a chip with its preview appears
// in the composer; Enter sends it, and the thumbnail shows in the timeline;
// a click opens the viewer. Saves screenshots (light and dark) to
// $CONFAB_TEST_ARTIFACTS.
#include "client_app_fixture.h"
#include "main_window.h"

#include <QClipboard>
#include <QGuiApplication>
#include <QPainter>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQmlExpression>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace confab::test;
using confab::client::ChatClient;

namespace {

int countVisible(QQuickItem* root, const QString& name, const std::function<bool(QQuickItem*)>& also = {})
{
    int n = 0;
    const auto children = root->childItems();
    for (QQuickItem* child : children) {
        if (!child->isVisible())
            continue;
        if (child->objectName() == name && (!also || also(child)))
            ++n;
        n += countVisible(child, name, also);
    }
    return n;
}

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

} // namespace

class TestFilesWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void pasteSendShowAndView();

private:
    void screenshot(QQuickWindow* window, const QString& name);
    QObject* theme(QQuickWindow* window);
};

void TestFilesWindow::screenshot(QQuickWindow* window, const QString& name)
{
    QTest::qWait(500); // layouts, delegates, pictures and popups settle
    const QImage image = window->grabWindow();
    QVERIFY2(!image.isNull(), qPrintable(name));
    const QString path = artifactsDir(QStringLiteral(CONFAB_DEFAULT_ARTIFACTS)) + QStringLiteral("/files-") +
                         name + QStringLiteral(".png");
    QVERIFY2(image.save(path), qPrintable(path));
    qInfo("saved %s", qPrintable(path));
}

QObject* TestFilesWindow::theme(QQuickWindow* window)
{
    QQmlExpression themeOf(qmlContext(window), window, QStringLiteral("Theme"));
    return themeOf.evaluate().value<QObject*>();
}

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
    screenshot(window, QStringLiteral("composer-light"));
    QObject* themeObject = theme(window);
    QVERIFY(themeObject);
    themeObject->setProperty("mode", QStringLiteral("dark"));
    screenshot(window, QStringLiteral("composer-dark"));
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

    // Enter sends: uploaded, then the message; my thumbnail in the timeline.
    QTest::keyClick(window, Qt::Key_Return);
    QTRY_COMPARE(client.files()->pending()->count(), 0);
    QTRY_VERIFY_WITH_TIMEOUT(client.composer()->unsentCount() == 0 && allSent(client), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(countVisible(list, QStringLiteral("attachmentThumbnail"), imageReady) == 2,
                             10000);
    screenshot(window, QStringLiteral("timeline-light"));
    themeObject->setProperty("mode", QStringLiteral("dark"));
    screenshot(window, QStringLiteral("timeline-dark"));
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
    screenshot(window, QStringLiteral("viewer-dark-backdrop"));
    QMetaObject::invokeMethod(viewer, "close");
}

QTEST_MAIN(TestFilesWindow)
#include "tst_files_window.moc"
