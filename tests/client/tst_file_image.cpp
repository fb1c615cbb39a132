// Images in files (issue 16): the type sniffed from the bytes, the size read
// from the header and held to the pixel budget before anything is decoded
// (a PNG claiming 100000×100000 is refused at once), thumbnails within the
// protocol's bounds; and the composer's pending attachments as a model.
#include "attachment_display.h"
#include "attachment_list_model.h"
#include "chunk_writer.h"
#include "file_image.h"
#include "forged_images.h"
#include "outgoing_file.h"

#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace confab::client;
using namespace confab::test;

namespace {

QImage noise(int w, int h)
{
    QImage image(w, h, QImage::Format_ARGB32);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<quint32*>(image.scanLine(y));
        for (int x = 0; x < w; ++x)
            line[x] = QRandomGenerator::global()->generate();
    }
    return image;
}

// A 1×1 GIF (Qt reads GIFs but does not write them).
const QByteArray kTinyGif = QByteArray::fromHex(
    "47494638396101000100800000000000ffffff21f90401000000002c000000000100010000020144003b");

QString written(const QTemporaryDir& dir, const QString& name, const QByteArray& bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

PendingAttachment pending(const QString& key, qint64 size)
{
    PendingAttachment a;
    a.key = key;
    a.name = key + QStringLiteral(".bin");
    a.size = size;
    a.mime = QStringLiteral("application/octet-stream");
    a.state = PendingAttachment::State::Ready;
    return a;
}

} // namespace

class TestFileImage : public QObject {
    Q_OBJECT

private slots:
    void sniffsByMagicNotByName();
    void readsTheHeaderSize();
    void hugeDeclaredImageIsRefusedWithoutDecoding();
    void declaredSizeFits();
    void mismatchedTypeIsRefused();
    void thumbnailOfAScreenshotIsAPng();
    void thumbnailOfAPhotoFallsBackToJpeg();
    void smallImagesKeepTheirSize();
    void thumbnailOfABombFails();
    void attachmentModel();
    void attachmentModelLimitsAndProgress();
    void timelineViewOfDeclaredFiles();
    void outgoingFilesRoundTrip();
    void downloadCacheIsBounded();
};

void TestFileImage::sniffsByMagicNotByName()
{
    using files::ImageType;
    QCOMPARE(files::sniffImageType(encoded(QImage(4, 4, QImage::Format_ARGB32), "PNG")), ImageType::Png);
    QCOMPARE(files::sniffImageType(encoded(QImage(4, 4, QImage::Format_RGB32), "JPEG")), ImageType::Jpeg);
    QCOMPARE(files::sniffImageType(kTinyGif), ImageType::Gif);
    QCOMPARE(files::sniffImageType(QByteArray("RIFF\x10\0\0\0WEBPVP8 ", 16)), ImageType::WebP);
    QCOMPARE(files::sniffImageType("<svg xmlns='http://www.w3.org/2000/svg'/>"), ImageType::None);
    QCOMPARE(files::sniffImageType(encoded(QImage(4, 4, QImage::Format_RGB32), "BMP")), ImageType::None);
    QCOMPARE(files::sniffImageType({}), ImageType::None);
    QCOMPARE(files::mimeOf(ImageType::Jpeg), QStringLiteral("image/jpeg"));
}

void TestFileImage::readsTheHeaderSize()
{
    QTemporaryDir dir;
    const QString path = written(dir, QStringLiteral("shot.png"), encoded(noise(640, 400), "PNG"));
    const files::ImageCheck check = files::inspectImageFile(path, QStringLiteral("image/png"));
    QVERIFY2(check.ok(), qPrintable(check.error));
    QCOMPARE(check.type, files::ImageType::Png);
    QCOMPARE(check.size, QSize(640, 400));
    // The name says nothing: a PNG called .jpg is a PNG.
    const QString misnamed = written(dir, QStringLiteral("shot.jpg"), encoded(noise(8, 8), "PNG"));
    QCOMPARE(files::inspectImageFile(misnamed).type, files::ImageType::Png);
}

// 100000×100000 RGBA would be 40 GB: refused from the header in no time.
void TestFileImage::hugeDeclaredImageIsRefusedWithoutDecoding()
{
    const QByteArray bomb = pngClaiming(100000, 100000);
    QVERIFY(bomb.size() < 200);
    QElapsedTimer clock;
    clock.start();
    QString error;
    QVERIFY(files::decodeImage(bomb, 0, &error).isNull());
    QVERIFY2(error.contains(QStringLiteral("100000×100000")), qPrintable(error));
    QVERIFY(clock.elapsed() < 1000);
    QTemporaryDir dir;
    const files::ImageCheck check = files::inspectImageFile(written(dir, QStringLiteral("bomb.png"), bomb));
    QVERIFY(!check.ok());
    QCOMPARE(check.size, QSize(100000, 100000));
    // Just over the budget either way; a side over the limit even when thin.
    QVERIFY(files::decodeImage(pngClaiming(8000, 5001)).isNull());
    QVERIFY(!files::inspectImageFile(written(dir, QStringLiteral("wide.png"), pngClaiming(16385, 1))).ok());
    QVERIFY(!files::inspectImageFile(written(dir, QStringLiteral("zero.png"), pngClaiming(0, 0))).ok());
}

void TestFileImage::declaredSizeFits()
{
    QVERIFY(files::declaredSizeFits(1280, 800));
    QVERIFY(files::declaredSizeFits(16384, 2000));
    QVERIFY(!files::declaredSizeFits(16385, 1));
    QVERIFY(!files::declaredSizeFits(8000, 5001)); // 40,008,000 pixels
    QVERIFY(!files::declaredSizeFits(65535, 65535));
    QVERIFY(!files::declaredSizeFits(0, 10));
    QVERIFY(!files::declaredSizeFits(-1, 10));
}

void TestFileImage::mismatchedTypeIsRefused()
{
    QTemporaryDir dir;
    const QString jpeg = written(dir, QStringLiteral("photo.png"), encoded(noise(16, 16), "JPEG", 80));
    QVERIFY(!files::inspectImageFile(jpeg, QStringLiteral("image/png")).ok());
    QVERIFY(files::inspectImageFile(jpeg, QStringLiteral("image/jpeg")).ok());
    QVERIFY(files::inspectImageFile(jpeg, QStringLiteral("image/jpg")).ok());
    const QString svg = written(dir, QStringLiteral("x.png"), ("<svg xmlns='http://www.w3.org/2000/svg'/>"));
    QVERIFY(!files::inspectImageFile(svg, QStringLiteral("image/png")).ok());
    // Truncated after the header: the check passes, the decode fails cleanly.
    const QByteArray whole = encoded(noise(64, 64), "PNG");
    QString error;
    QVERIFY(files::decodeImage(whole.left(whole.size() / 2), 0, &error).isNull());
    QVERIFY(!error.isEmpty());
}

void TestFileImage::thumbnailOfAScreenshotIsAPng()
{
    QTemporaryDir dir;
    QImage shot(1280, 800, QImage::Format_ARGB32);
    shot.fill(QColor(40, 90, 200));
    const QString path = written(dir, QStringLiteral("shot.png"), encoded(shot, "PNG"));
    const files::Thumbnail thumb = files::makeThumbnail(path);
    QVERIFY2(thumb.error.isEmpty(), qPrintable(thumb.error));
    QCOMPARE(thumb.mime, QStringLiteral("image/png"));
    QCOMPARE(thumb.size, QSize(320, 200));
    QCOMPARE(thumb.sourceSize, QSize(1280, 800));
    QVERIFY(thumb.bytes.size() <= files::kMaxThumbnailBytes);
    QCOMPARE(files::decodeImage(thumb.bytes).size(), QSize(320, 200));
}

// Noise does not compress: the PNG is over 256 KiB, the JPEG is not.
void TestFileImage::thumbnailOfAPhotoFallsBackToJpeg()
{
    QTemporaryDir dir;
    const QString path = written(dir, QStringLiteral("photo.png"), encoded(noise(320, 213), "PNG"));
    const files::Thumbnail thumb = files::makeThumbnail(path);
    QVERIFY2(thumb.error.isEmpty(), qPrintable(thumb.error));
    QCOMPARE(thumb.mime, QStringLiteral("image/jpeg"));
    QCOMPARE(thumb.size, QSize(320, 213));
    QVERIFY(thumb.bytes.size() <= files::kMaxThumbnailBytes);
    QCOMPARE(files::sniffImageType(thumb.bytes), files::ImageType::Jpeg);
}

void TestFileImage::smallImagesKeepTheirSize()
{
    QTemporaryDir dir;
    QImage tiny(40, 20, QImage::Format_ARGB32);
    tiny.fill(Qt::red);
    const files::Thumbnail thumb =
        files::makeThumbnail(written(dir, QStringLiteral("tiny.png"), encoded(tiny, "PNG")));
    QVERIFY2(thumb.error.isEmpty(), qPrintable(thumb.error));
    QCOMPARE(thumb.size, QSize(40, 20));
    QCOMPARE(thumb.sourceSize, QSize(40, 20));
    const files::Thumbnail gif = files::makeThumbnail(written(dir, QStringLiteral("tiny.gif"), kTinyGif));
    QVERIFY2(gif.error.isEmpty(), qPrintable(gif.error));
    QCOMPARE(gif.size, QSize(1, 1));
}

void TestFileImage::thumbnailOfABombFails()
{
    QTemporaryDir dir;
    const files::Thumbnail thumb =
        files::makeThumbnail(written(dir, QStringLiteral("bomb.png"), pngClaiming(100000, 100000)));
    QVERIFY(thumb.bytes.isEmpty());
    QVERIFY(!thumb.error.isEmpty());
    QVERIFY(files::makeThumbnail(written(dir, QStringLiteral("text.png"), "hello")).bytes.isEmpty());
}

void TestFileImage::attachmentModel()
{
    AttachmentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.allUploaded()); // nothing to wait for
    QVERIFY(model.add(pending(QStringLiteral("a"), 2000)));
    QVERIFY(model.add(pending(QStringLiteral("b"), 10)));
    QVERIFY(!model.add(pending(QStringLiteral("a"), 1))); // keys are unique
    QCOMPARE(model.count(), 2);
    QVERIFY(!model.allUploaded());
    const QModelIndex first = model.index(0);
    QCOMPARE(first.data(AttachmentListModel::NameRole).toString(), QStringLiteral("a.bin"));
    QCOMPARE(first.data(AttachmentListModel::SizeTextRole).toString(), QStringLiteral("2.0 KB"));
    QCOMPARE(first.data(AttachmentListModel::IsImageRole).toBool(), false);
    QCOMPARE(first.data(AttachmentListModel::PreviewUrlRole).toUrl(), QUrl());
    QCOMPARE(model.roleNames().value(AttachmentListModel::PreviewUrlRole), QByteArray("previewUrl"));
    QVERIFY(int(AttachmentListModel::KeyRole) > int(Qt::UserRole));

    PendingAttachment a = *model.find(QStringLiteral("a"));
    a.thumbnailPath = QStringLiteral("/tmp/thumb.png");
    a.state = PendingAttachment::State::Uploading;
    a.sent = 500;
    model.update(a);
    QCOMPARE(changed.size(), 1);
    const QList<int> roles = changed.at(0).at(2).value<QList<int>>();
    QVERIFY(roles.contains(AttachmentListModel::ProgressRole));
    QVERIFY(roles.contains(AttachmentListModel::PreviewUrlRole));
    QVERIFY(!roles.contains(AttachmentListModel::NameRole));
    QCOMPARE(first.data(AttachmentListModel::ProgressRole).toDouble(), 0.25);
    QCOMPARE(first.data(AttachmentListModel::PreviewUrlRole).toUrl(),
             QUrl::fromLocalFile(QStringLiteral("/tmp/thumb.png")));
    QCOMPARE(first.data(AttachmentListModel::StateRole).toInt(), int(AttachmentListModel::State::Uploading));

    QVERIFY(model.remove(QStringLiteral("b")));
    QVERIFY(!model.remove(QStringLiteral("b")));
    a.state = PendingAttachment::State::Uploaded;
    a.sent = a.size;
    model.update(a);
    QVERIFY(model.allUploaded());
    model.clear();
    QCOMPARE(model.count(), 0);
}

void TestFileImage::attachmentModelLimitsAndProgress()
{
    AttachmentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    for (int i = 0; i < AttachmentListModel::kMaxAttachments; ++i)
        QVERIFY(model.add(pending(QString::number(i), 1)));
    QVERIFY(!model.add(pending(QStringLiteral("one too many"), 1)));
    QCOMPARE(model.count(), AttachmentListModel::kMaxAttachments);
    QVERIFY(!model.index(0).data(-5).isValid());
    QVERIFY(!model.index(0).data(Qt::DisplayRole).isValid());
}

// What the sender declared picks the view; an image claiming more pixels
// than the budget is a placeholder with nothing to fetch.
void TestFileImage::timelineViewOfDeclaredFiles()
{
    using namespace confab;
    FileInfo shot;
    shot.id = 91;
    shot.name = QStringLiteral("screenshot.png");
    shot.size = 183402;
    shot.mime = QStringLiteral("image/png");
    shot.width = 1280;
    shot.height = 800;
    shot.thumbnailId = 92;
    QVariantMap view = attachment_display::of(shot);
    QCOMPARE(view.value(QStringLiteral("kind")).toString(), QStringLiteral("image"));
    QCOMPARE(view.value(QStringLiteral("previewId")).toDouble(), 92.0);
    QCOMPARE(view.value(QStringLiteral("sizeText")).toString(), QStringLiteral("183 KB"));

    // No thumbnail: small images show themselves, large ones are cards.
    shot.thumbnailId.reset();
    QCOMPARE(attachment_display::of(shot).value(QStringLiteral("previewId")).toDouble(), 91.0);
    shot.size = attachment_display::kShowWholeImageBytes + 1;
    QCOMPARE(attachment_display::of(shot).value(QStringLiteral("kind")).toString(), QStringLiteral("file"));

    FileInfo bomb = shot;
    bomb.width = 60000;
    bomb.height = 60000;
    bomb.thumbnailId = 93;
    view = attachment_display::of(bomb);
    QCOMPARE(view.value(QStringLiteral("kind")).toString(), QStringLiteral("hugeImage"));
    QCOMPARE(view.value(QStringLiteral("previewId")).toDouble(), 0.0); // never fetched

    // Declared an image but of a type not shown, or without dimensions: a card.
    FileInfo svg = shot;
    svg.mime = QStringLiteral("image/svg+xml");
    QCOMPARE(attachment_display::of(svg).value(QStringLiteral("kind")).toString(), QStringLiteral("file"));
    FileInfo pdf;
    pdf.id = 88;
    pdf.name = QStringLiteral("../../x.pdf");
    pdf.size = 482113;
    pdf.mime = QStringLiteral("application/pdf");
    view = attachment_display::of(pdf);
    QCOMPARE(view.value(QStringLiteral("kind")).toString(), QStringLiteral("file"));
    QCOMPARE(view.value(QStringLiteral("name")).toString(), QStringLiteral("../../x.pdf")); // shown as data
    QCOMPARE(view.value(QStringLiteral("badge")).toString(), QStringLiteral("PDF"));
    QCOMPARE(view.value(QStringLiteral("canOpen")).toBool(), true);
}

void TestFileImage::outgoingFilesRoundTrip()
{
    OutgoingFile f;
    f.path = QStringLiteral("/tmp/a b/shot.png");
    f.name = QStringLiteral("shot.png");
    f.size = 1234;
    f.mime = QStringLiteral("image/png");
    f.width = 640;
    f.height = 400;
    f.sha256 = QString(64, u'a');
    f.fileId = 7;
    f.thumbnailPath = QStringLiteral("/tmp/t.png");
    f.thumbnailMime = QStringLiteral("image/png");
    f.thumbnailSize = 99;
    OutgoingFile g;
    g.path = QStringLiteral("/tmp/report.pdf");
    g.name = QStringLiteral("会议纪要.pdf");
    g.size = 5;
    g.mime = QStringLiteral("application/pdf");
    g.uploaded = true;
    g.fileId = 8;
    const QList<OutgoingFile> both{f, g};
    QCOMPARE(outgoingFilesFromJson(outgoingFilesToJson(both)), both);
    QVERIFY(!f.done());
    QVERIFY(g.done());
    QVERIFY(outgoingFilesFromJson(QStringLiteral("not json")).isEmpty());
    QVERIFY(outgoingFilesFromJson(QStringLiteral("[{\"name\": \"x\"}]")).isEmpty()); // no path, no size
}

// The download cache keeps a budget of bytes: the least recently written
// files go first; a download under way (.part) stays.
void TestFileImage::downloadCacheIsBounded()
{
    QTemporaryDir dir;
    const QDateTime now = QDateTime::currentDateTime();
    int age = 0;
    for (const QString& name :
         {QStringLiteral("3"), QStringLiteral("2"), QStringLiteral("1"), QStringLiteral("9.part")}) {
        QFile f(dir.filePath(name));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(100, 'x'));
        QVERIFY(f.flush()); // else the write at close() sets the time again
        QVERIFY(f.setFileTime(now.addSecs(-60 * ++age), QFileDevice::FileModificationTime));
    }
    ChunkWriter::prune(dir.path(), 250);
    QStringList left = QDir(dir.path()).entryList(QDir::Files);
    left.sort();
    QCOMPARE(left.join(u','), QStringLiteral("2,3,9.part"));
}

QTEST_MAIN(TestFileImage)
#include "tst_file_image.moc"
