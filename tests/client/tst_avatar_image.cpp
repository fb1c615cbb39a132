// Avatar images (issue 15): what the client decodes of someone else's
// picture (PNG or JPEG only, at most 256 KiB and 1024×1024, the dimensions
// read from the header before anything is decoded) and how it prepares mine
// (centred square, 256×256, PNG, or JPEG when the PNG is too large).
#include "avatar_image.h"
#include "avatar_registry.h"
#include "forged_images.h"

#include <QBuffer>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

using namespace confab::client;
using namespace confab::test;

namespace {

QImage filled(int w, int h, QColor color)
{
    QImage image(w, h, QImage::Format_ARGB32);
    image.fill(color);
    return image;
}

QImage noise(int w, int h)
{
    QImage image(w, h, QImage::Format_ARGB32);
    for (int y = 0; y < h; ++y) {
        auto* line = reinterpret_cast<quint32*>(image.scanLine(y));
        for (int x = 0; x < w; ++x)
            line[x] = QRandomGenerator::global()->generate(); // alpha too: RGBA, 4 bytes a pixel
    }
    return image;
}

} // namespace

class TestAvatarImage : public QObject {
    Q_OBJECT

private slots:
    void decodesASmallPngAndJpeg();
    void hostileHeaderIsRefusedWithoutDecoding();
    void refusesWrongTypeTruncatedAndTooBig();
    void readsFilesWithTheSameChecks();
    void roundImageIsTransparentOutside();
    void centredSquare();
    void preparesA256SquarePng();
    void fallsBackToJpegWhenThePngIsTooLarge();
    void uploadRefusesWhatIsNotAPicture();
    void registryNamesOnlyWellFormedIds();
};

void TestAvatarImage::decodesASmallPngAndJpeg()
{
    QString error;
    const QImage png = avatar::decodeForeign(encoded(filled(64, 48, Qt::red), "PNG"), &error);
    QVERIFY2(!png.isNull(), qPrintable(error));
    QCOMPARE(png.size(), QSize(64, 48));
    const QImage jpeg = avatar::decodeForeign(encoded(filled(32, 32, Qt::blue), "JPEG", 85), &error);
    QVERIFY2(!jpeg.isNull(), qPrintable(error));
    QCOMPARE(jpeg.size(), QSize(32, 32));
    // At the limit of sides.
    QVERIFY(!avatar::decodeForeign(encoded(filled(1024, 1024, Qt::green), "PNG")).isNull());
}

// 100000×100000 RGBA would be 40 GB: refused from the header in no time,
// never allocated.
void TestAvatarImage::hostileHeaderIsRefusedWithoutDecoding()
{
    const QByteArray bomb = pngClaiming(100000, 100000);
    QVERIFY(bomb.size() < 200);
    QElapsedTimer clock;
    clock.start();
    QString error;
    QVERIFY(avatar::decodeForeign(bomb, &error).isNull());
    QVERIFY2(error.contains(QStringLiteral("1024")), qPrintable(error));
    QVERIFY(clock.elapsed() < 1000);
    // Just over the side limit, either way.
    QVERIFY(avatar::decodeForeign(pngClaiming(1025, 10)).isNull());
    QVERIFY(avatar::decodeForeign(pngClaiming(10, 1025)).isNull());
    QVERIFY(avatar::decodeForeign(pngClaiming(0, 0)).isNull());
}

void TestAvatarImage::refusesWrongTypeTruncatedAndTooBig()
{
    QString error;
    // A GIF and a BMP decode fine in Qt, but are not avatars.
    QVERIFY(avatar::decodeForeign(encoded(filled(8, 8, Qt::red), "BMP"), &error).isNull());
    QVERIFY(error.contains(QStringLiteral("PNG or JPEG")));
    QVERIFY(avatar::decodeForeign("<svg xmlns='http://www.w3.org/2000/svg'/>").isNull());
    QVERIFY(avatar::decodeForeign(QByteArray()).isNull());
    // Truncated: the header is fine, the data is not there.
    const QByteArray whole = encoded(noise(64, 64), "PNG");
    QVERIFY(avatar::decodeForeign(whole.left(whole.size() / 2)).isNull());
    QVERIFY(avatar::decodeForeign(whole.left(20)).isNull());
    // Over 256 KiB, whatever it is.
    QByteArray big = encoded(filled(8, 8, Qt::red), "PNG");
    big.append(QByteArray(avatar::kMaxBytes, '\0'));
    error.clear();
    QVERIFY(avatar::decodeForeign(big, &error).isNull());
    QVERIFY(error.contains(QString::number(avatar::kMaxBytes)));
}

void TestAvatarImage::readsFilesWithTheSameChecks()
{
    QTemporaryDir dir;
    auto write = [&](const QString& name, const QByteArray& bytes) {
        QFile f(dir.filePath(name));
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
        return f.fileName();
    };
    QVERIFY(!avatar::readForeignFile(write(QStringLiteral("ok"), encoded(filled(16, 16, Qt::red), "PNG")))
                 .isNull());
    QVERIFY(avatar::readForeignFile(write(QStringLiteral("bomb"), pngClaiming(100000, 100000))).isNull());
    QVERIFY(avatar::readForeignFile(write(QStringLiteral("big"), QByteArray(avatar::kMaxBytes + 1, 'x')))
                .isNull());
    QVERIFY(avatar::readForeignFile(dir.filePath(QStringLiteral("missing"))).isNull());
}

void TestAvatarImage::roundImageIsTransparentOutside()
{
    const QImage round = avatar::roundImage(filled(100, 60, Qt::red), 64);
    QCOMPARE(round.size(), QSize(64, 64));
    QCOMPARE(qAlpha(round.pixel(0, 0)), 0);
    QCOMPARE(qAlpha(round.pixel(63, 63)), 0);
    QCOMPARE(round.pixelColor(32, 32), QColor(Qt::red));
}

void TestAvatarImage::centredSquare()
{
    QCOMPARE(avatar::centredSquare(QSize(300, 200)), QRect(50, 0, 200, 200));
    QCOMPARE(avatar::centredSquare(QSize(200, 301)), QRect(0, 50, 200, 200));
    QCOMPARE(avatar::centredSquare(QSize(64, 64)), QRect(0, 0, 64, 64));
}

void TestAvatarImage::preparesA256SquarePng()
{
    // Left third blue, middle red, right third green: the centred square of
    // a 600×200 picture is the red middle.
    QImage source(600, 200, QImage::Format_ARGB32);
    source.fill(Qt::red);
    for (int y = 0; y < 200; ++y) {
        for (int x = 0; x < 200; ++x) {
            source.setPixelColor(x, y, Qt::blue);
            source.setPixelColor(x + 400, y, Qt::green);
        }
    }
    const avatar::Prepared prepared = avatar::prepareUpload(source);
    QCOMPARE(prepared.mime, QStringLiteral("image/png"));
    QVERIFY(prepared.bytes.startsWith(QByteArray::fromHex("89504e470d0a1a0a")));
    const QImage back = QImage::fromData(prepared.bytes, "PNG");
    QCOMPARE(back.size(), QSize(avatar::kUploadSide, avatar::kUploadSide));
    QCOMPARE(back.pixelColor(10, 128), QColor(Qt::red));
    QCOMPARE(back.pixelColor(245, 128), QColor(Qt::red));
    // An explicit crop: the blue third.
    const QImage blue = QImage::fromData(avatar::prepareUpload(source, QRect(0, 0, 200, 200)).bytes);
    QCOMPARE(blue.pixelColor(128, 128), QColor(Qt::blue));
    QVERIFY(avatar::prepareUpload(QImage()).mime.isEmpty());
}

// Noise does not compress: 256×256 RGBA (random alpha, so the PNG keeps
// its alpha channel) is over 256 KiB as PNG, so it is sent as JPEG, under the limit.
void TestAvatarImage::fallsBackToJpegWhenThePngIsTooLarge()
{
    // At the upload size, so that scaling does not smooth the noise away.
    const QImage source = noise(avatar::kUploadSide, avatar::kUploadSide);
    QVERIFY(encoded(source, "PNG").size() > avatar::kMaxBytes);
    const avatar::Prepared prepared = avatar::prepareUpload(source);
    QCOMPARE(prepared.mime, QStringLiteral("image/jpeg"));
    QVERIFY(prepared.bytes.startsWith(QByteArray::fromHex("ffd8ff")));
    QVERIFY(prepared.bytes.size() <= avatar::kMaxBytes);
    QCOMPARE(QImage::fromData(prepared.bytes, "JPEG").size(), QSize(256, 256));
}

void TestAvatarImage::uploadRefusesWhatIsNotAPicture()
{
    QTemporaryDir dir;
    QFile text(dir.filePath(QStringLiteral("notes.png")));
    text.open(QIODevice::WriteOnly);
    text.write("just text, named like a picture");
    text.close();
    QString error;
    QVERIFY(avatar::loadForUpload(text.fileName(), &error).isNull());
    QVERIFY(!error.isEmpty());
    QFile bomb(dir.filePath(QStringLiteral("bomb.png")));
    bomb.open(QIODevice::WriteOnly);
    bomb.write(pngClaiming(100000, 100000));
    bomb.close();
    QVERIFY(avatar::loadForUpload(bomb.fileName()).isNull());
    const QString photo = dir.filePath(QStringLiteral("photo.jpg"));
    QVERIFY(filled(640, 480, Qt::cyan).save(photo, "JPEG"));
    QCOMPARE(avatar::loadForUpload(photo).size(), QSize(640, 480));
}

// The cache names files by id: only 64 lowercase hex digits make a path.
void TestAvatarImage::registryNamesOnlyWellFormedIds()
{
    QTemporaryDir dir;
    AvatarRegistry* registry = AvatarRegistry::instance();
    registry->setCacheDirectory(dir.path());
    const QString id(64, QLatin1Char('a'));
    QCOMPARE(registry->pathOf(id), dir.filePath(id));
    QVERIFY(registry->pathOf(QStringLiteral("../../etc/passwd")).isEmpty());
    QVERIFY(registry->pathOf(id.toUpper()).isEmpty());
    registry->setUserAvatar(7, id);
    QSignalSpy wanted(registry, &AvatarRegistry::wanted);
    QCOMPARE(registry->source(7), QString()); // not on disk yet: asked for
    QCOMPARE(wanted.count(), 1);
    registry->markStored(id);
    QCOMPARE(registry->source(7), QStringLiteral("image://avatar/") + id);
    registry->setUserAvatar(7, QString());
    QCOMPARE(registry->source(7), QString());
}

QTEST_GUILESS_MAIN(TestAvatarImage)
#include "tst_avatar_image.moc"
