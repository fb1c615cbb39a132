// Files end to end (issue 16) against a real in-process server, on SQLite
// and PostgreSQL: Mei attaches a screenshot and a PDF (the thumbnail made
// on a worker thread), sends; the outbox uploads both files and the
// thumbnail in binary frames, then sends the message with its attachments.
// Bob's client shows an image (through the thumbnail) and a file card,
// downloads the thumbnail into its cache (SHA-256 checked) and saves the PDF
// under its hostile name "../../x.pdf" into a folder: it lands inside, with
// Mei's bytes. A send cancelled while uploading goes away.
#include "client_app_fixture.h"

#include "file_image.h"
#include "files_controller.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace confab;
using namespace confab::test;
using confab::client::ChatClient;
using confab::client::FilesController;
using confab::client::MessageListModel;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

QByteArray randomBytes(int size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator::global()->fillRange(reinterpret_cast<quint32*>(bytes.data()), size / 4);
    return bytes;
}

QVariantList attachmentsOfLast(const ChatClient& client)
{
    const MessageListModel* model = client.conversation()->messages();
    if (model->rowCount() == 0)
        return {};
    return model->data(model->index(model->rowCount() - 1), MessageListModel::AttachmentsRole).toList();
}

// Waits for the thumbnails of every pending row.
bool waitPrepared(FilesController* files)
{
    return QTest::qWaitFor([files] { return !files->preparing(); }, 10000);
}

} // namespace

class TestFilesE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void sendShowDownloadAndSave();
    void cancelWhileUploading();
    void uploadResumesAfterAReconnect();
    void uploadResumesAfterARestart();
};

void TestFilesE2e::sendShowDownloadAndSave()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 dm = openDm(*mei, bob->userId);
    QVERIFY(dm);

    auto meiClient = ClientFixture::create(QStringLiteral("files-mei"));
    QVERIFY(ClientFixture::signIn(*meiClient, server.url(), QStringLiteral("mei"), 1));
    auto bobClient = ClientFixture::create(QStringLiteral("files-bob"));
    QVERIFY(ClientFixture::signIn(*bobClient, server.url(), QStringLiteral("bob"), 1));
    QVERIFY(ClientFixture::openRoom(*meiClient, dm));
    QVERIFY(ClientFixture::openRoom(*bobClient, dm));

    QTemporaryDir dir;
    QImage shot(1280, 800, QImage::Format_RGB32);
    shot.fill(QColor("#1d6fd8"));
    const QString shotPath = dir.filePath(QStringLiteral("screenshot.png"));
    QVERIFY(shot.save(shotPath));
    // Over one chunk (256 KiB): several binary frames, four in flight.
    const QByteArray pdf = "%PDF-1.4\n" + randomBytes(700 * 1024);
    const QString pdfPath = writeFile(dir, QStringLiteral("report.pdf"), pdf);

    FilesController* files = meiClient->files();
    files->addFiles({QUrl::fromLocalFile(shotPath)});
    files->addFileAs(pdfPath, QStringLiteral("../../x.pdf"));
    QCOMPARE(files->pending()->count(), 2);
    QVERIFY(waitPrepared(files));
    meiClient->composer()->sendMessage(QStringLiteral("the screenshot and the report"), {});
    QCOMPARE(files->pending()->count(), 0); // into the outbox
    // Pending: my own thumbnail shows at once.
    QVariantList mine = attachmentsOfLast(*meiClient);
    QCOMPARE(mine.size(), 2);
    QVERIFY(mine.at(0)
                .toMap()
                .value(QStringLiteral("localPreview"))
                .toString()
                .startsWith(QStringLiteral("file:")));
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*meiClient) && meiClient->composer()->unsentCount() == 0, 20000);
    // The thumbnail I made went with the send; the files I chose stay.
    QTRY_VERIFY(QDir(files->workDirectory() + QStringLiteral("/thumbnails")).isEmpty());
    QVERIFY(QFileInfo::exists(shotPath) && QFileInfo::exists(pdfPath));

    // Bob sees the message with both files, as the server describes them.
    QTRY_COMPARE_WITH_TIMEOUT(contentsOf(rowsOf(*bobClient)).value(0),
                              QStringLiteral("the screenshot and the report"), 10000);
    const QVariantList theirs = attachmentsOfLast(*bobClient);
    QCOMPARE(theirs.size(), 2);
    const QVariantMap image = theirs.at(0).toMap();
    const QVariantMap card = theirs.at(1).toMap();
    QCOMPARE(image.value(QStringLiteral("kind")).toString(), QStringLiteral("image"));
    QCOMPARE(image.value(QStringLiteral("width")).toInt(), 1280);
    QCOMPARE(image.value(QStringLiteral("height")).toInt(), 800);
    QCOMPARE(image.value(QStringLiteral("mime")).toString(), QStringLiteral("image/png"));
    QVERIFY(image.value(QStringLiteral("previewId")).toDouble() > 0);
    QVERIFY(image.value(QStringLiteral("previewId")).toDouble() !=
            image.value(QStringLiteral("id")).toDouble()); // the thumbnail
    QCOMPARE(card.value(QStringLiteral("kind")).toString(), QStringLiteral("file"));
    QCOMPARE(card.value(QStringLiteral("name")).toString(), QStringLiteral("../../x.pdf"));
    QCOMPARE(card.value(QStringLiteral("size")).toDouble(), double(pdf.size()));
    QCOMPARE(card.value(QStringLiteral("badge")).toString(), QStringLiteral("PDF"));

    // The thumbnail: fetched when shown, into Bob's cache, checked.
    FilesController* bobFiles = bobClient->files();
    const double thumbId = image.value(QStringLiteral("previewId")).toDouble();
    QSignalSpy landed(bobFiles, &FilesController::revisionChanged);
    QCOMPARE(bobFiles->imageSource(thumbId), QString());
    QVERIFY(landed.wait(10000));
    QVERIFY(bobFiles->imageSource(thumbId).startsWith(QStringLiteral("image://confabfile/")));
    QVERIFY(bobFiles->imageSource(thumbId).endsWith(QStringLiteral("/%1").arg(qint64(thumbId))));
    const QImage thumb = client::files::decodeImageFile(
        QDir(bobFiles->cacheDirectory()).filePath(QString::number(qint64(thumbId))));
    QCOMPARE(thumb.size(), QSize(320, 200));

    // Save… the PDF: its name wants out of the folder; it stays inside.
    QTemporaryDir root;
    QDir(root.path()).mkpath(QStringLiteral("Downloads"));
    const QString folder = QDir(root.path()).filePath(QStringLiteral("Downloads"));
    QSignalSpy saved(bobFiles, &FilesController::saved);
    bobFiles->saveFile(card.value(QStringLiteral("id")).toDouble(),
                       card.value(QStringLiteral("name")).toString(), QUrl::fromLocalFile(folder));
    QVERIFY(saved.wait(10000));
    const QString savedPath = saved.first().at(1).toString();
    QCOMPARE(QFileInfo(savedPath).absolutePath(), QDir(folder).absolutePath());
    QCOMPARE(QFileInfo(savedPath).fileName(), QStringLiteral("x.pdf"));
    QFile out(savedPath);
    QVERIFY(out.open(QIODevice::ReadOnly));
    QCOMPARE(out.readAll(), pdf);
    QCOMPARE(QDir(root.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot),
             QStringList{QStringLiteral("Downloads")});
    // Again: a second copy beside it, never over it.
    bobFiles->saveFile(card.value(QStringLiteral("id")).toDouble(),
                       card.value(QStringLiteral("name")).toString(), QUrl::fromLocalFile(folder));
    QVERIFY(saved.wait(10000));
    QCOMPARE(QFileInfo(saved.at(1).at(1).toString()).fileName(), QStringLiteral("x (2).pdf"));
}

void TestFilesE2e::cancelWhileUploading()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 dm = openDm(*mei, bob->userId);
    QVERIFY(dm);
    auto meiClient = ClientFixture::create(QStringLiteral("files-cancel"));
    QVERIFY(ClientFixture::signIn(*meiClient, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*meiClient, dm));

    QTemporaryDir dir;
    const QString big = writeFile(dir, QStringLiteral("big.bin"), randomBytes(20 * 1024 * 1024));
    meiClient->files()->addFiles({QUrl::fromLocalFile(big)});
    QVERIFY(waitPrepared(meiClient->files()));
    meiClient->composer()->sendMessage(QString(), {});
    QCOMPARE(meiClient->composer()->unsentCount(), 1);
    const QString tempId = rowsOf(*meiClient).last().tempId;
    QTest::qWait(50);
    meiClient->composer()->cancelSend(tempId);
    QCOMPARE(meiClient->composer()->unsentCount(), 0);
    QVERIFY(rowsOf(*meiClient).isEmpty());
    // Nothing reaches the room.
    QTest::qWait(500);
    QVERIFY(serverHistory(*mei, dm).isEmpty());
}

// The server restarts in the middle of a 12 MB upload: the client
// reconnects, asks upload_file {fileId} how much the server holds, sends
// the rest, and the message goes once, with the file's right SHA-256.
void TestFilesE2e::uploadResumesAfterAReconnect()
{
    TestServer server(fixedPortConfig(ClientFixture::freePort())); // the client comes back to it
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 dm = openDm(*mei, bob->userId);
    QVERIFY(dm);
    auto meiClient = ClientFixture::create(QStringLiteral("files-resume"));
    QVERIFY(ClientFixture::signIn(*meiClient, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(*meiClient, dm));

    QTemporaryDir dir;
    const QByteArray bytes = randomBytes(12 * 1024 * 1024);
    const QString path = writeFile(dir, QStringLiteral("dataset.bin"), bytes);
    meiClient->files()->addFiles({QUrl::fromLocalFile(path)});
    QVERIFY(waitPrepared(meiClient->files()));
    meiClient->composer()->sendMessage(QStringLiteral("the dataset"), {});
    const auto progress = [&] {
        const QVariantList files = attachmentsOfLast(*meiClient);
        return files.isEmpty() ? 0.0 : files.first().toMap().value(QStringLiteral("progress")).toDouble();
    };
    QTRY_VERIFY_WITH_TIMEOUT(progress() > 0.1, 20000);
    QVERIFY(progress() < 1.0);
    QVERIFY(server.restart());
    QTRY_VERIFY_WITH_TIMEOUT(allSent(*meiClient) && meiClient->composer()->unsentCount() == 0, 30000);

    auto reader = server.client();
    QVERIFY(reader->signIn(QStringLiteral("mei")));
    const QList<QJsonObject> history = serverHistory(*reader, dm);
    QCOMPARE(history.size(), 1);
    const QJsonArray attachments = history.first().value(QLatin1String("attachments")).toArray();
    QCOMPARE(attachments.size(), 1);
    const QJsonObject file = attachments.first().toObject();
    QCOMPARE(file.value(QLatin1String("size")).toDouble(), double(bytes.size()));
    QCOMPARE(file.value(QLatin1String("sha256")).toString(),
             QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
}

// The app quits in the middle of an upload: the outbox kept the message and
// its file's upload id in the profile's store, so the next start resumes the
// upload where the server is and sends the message once.
void TestFilesE2e::uploadResumesAfterARestart()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    const qint64 dm = openDm(*mei, bob->userId);
    QVERIFY(dm);
    const ChatClient::Options options = ClientFixture::options(QStringLiteral("files-restart"));

    QTemporaryDir dir;
    const QByteArray bytes = randomBytes(12 * 1024 * 1024);
    const QString path = writeFile(dir, QStringLiteral("dataset.bin"), bytes);
    {
        ChatClient first(options);
        QVERIFY(ClientFixture::signIn(first, server.url(), QStringLiteral("mei"), 1));
        QVERIFY(ClientFixture::openRoom(first, dm));
        first.files()->addFiles({QUrl::fromLocalFile(path)});
        QVERIFY(waitPrepared(first.files()));
        first.composer()->sendMessage(QStringLiteral("before the restart"), {});
        QTRY_VERIFY_WITH_TIMEOUT(
            attachmentsOfLast(first).value(0).toMap().value(QStringLiteral("progress")).toDouble() > 0.1,
            20000);
        QVERIFY(first.composer()->unsentCount() == 1);
    } // quits with the upload under way

    ChatClient second(options);
    QVERIFY(ClientFixture::signIn(second, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::openRoom(second, dm));
    QTRY_VERIFY_WITH_TIMEOUT(second.composer()->unsentCount() == 0 && allSent(second), 30000);
    auto reader = server.client();
    QVERIFY(reader->signIn(QStringLiteral("mei")));
    const QList<QJsonObject> history = serverHistory(*reader, dm);
    QCOMPARE(history.size(), 1);
    const QJsonArray attachments = history.first().value(QLatin1String("attachments")).toArray();
    QCOMPARE(attachments.size(), 1);
    QCOMPARE(attachments.first().toObject().value(QLatin1String("sha256")).toString(),
             QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
}

QTEST_MAIN(TestFilesE2e)
#include "tst_files_e2e.moc"
