// Avatars end to end (issue 15) against a real in-process server: Mei's
// client prepares a picture (off the GUI thread) and sets it; Bob's client
// gets user_updated, fetches the picture by its id into its cache, and the
// file is the bytes Mei sent (their SHA-256 is the id); a removal reaches
// him too. On SQLite and PostgreSQL.
#include "client_app_fixture.h"

#include "../server/avatar_helpers.h"
#include "avatar_registry.h"
#include "protocol/avatars.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace confab;
using namespace confab::test;
using confab::client::AvatarRegistry;

class TestAvatarE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { ClientFixture::prepareEnvironment(); }
    void setReachesAnotherClientWhichFetchesIt();
};

void TestAvatarE2e::setReachesAnotherClientWhichFetchesIt()
{
    TestServer server;
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("mei"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(mei && bob);
    QVERIFY(openDm(*mei, bob->userId));

    auto meiClient = ClientFixture::create(QStringLiteral("avatar-mei"));
    QVERIFY(ClientFixture::signIn(*meiClient, server.url(), QStringLiteral("mei"), 1));
    auto bobClient = ClientFixture::create(QStringLiteral("avatar-bob"));
    QVERIFY(ClientFixture::signIn(*bobClient, server.url(), QStringLiteral("bob"), 1));
    bob->clearInbox();

    // A landscape picture: the client crops the centred square, scales it
    // to 256×256 and sends a PNG.
    QTemporaryDir dir;
    QImage picture(480, 320, QImage::Format_RGB32);
    for (int y = 0; y < picture.height(); ++y) {
        for (int x = 0; x < picture.width(); ++x)
            picture.setPixelColor(x, y, QColor::fromHsv((x + y) % 360, 200, 230));
    }
    const QString path = dir.filePath(QStringLiteral("me.png"));
    QVERIFY(picture.save(path));
    QSignalSpy finished(meiClient->avatars(), &client::AvatarController::setFinished);
    meiClient->avatars()->setAvatarFromFile(QUrl::fromLocalFile(path));
    QVERIFY(meiClient->avatars()->busy());
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.first().first().toBool(), true);
    QVERIFY(!meiClient->avatars()->busy());
    QVERIFY(meiClient->avatars()->hasAvatar());

    // The server tells Bob (a raw connection sees the event itself).
    const QJsonObject updated = payloadOf(bob->waitFor(QStringLiteral("user_updated"), 5000));
    const QString id = avatarIdIn(updated);
    QVERIFY(isAvatarId(id));

    // Bob's client learns the id, and fetches the picture when an Avatar
    // asks for it: into an empty cache, as on another computer (Mei's
    // client, which kept what it sent, is gone).
    AvatarRegistry* registry = AvatarRegistry::instance();
    QTRY_COMPARE(registry->avatarOf(mei->userId), id);
    meiClient.reset();
    QTemporaryDir cache;
    registry->setCacheDirectory(cache.path());
    QCOMPARE(registry->source(double(mei->userId)), QString()); // asked for
    QTRY_VERIFY_WITH_TIMEOUT(registry->isStored(id), 5000);
    QCOMPARE(registry->source(double(mei->userId)), QStringLiteral("image://avatar/") + id);
    QFile file(registry->pathOf(id));
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    QCOMPARE(sha256Hex(bytes), id);
    const QImage stored = QImage::fromData(bytes, "PNG");
    QCOMPARE(stored.size(), QSize(256, 256));
    // The centred square: the left and right 80 columns were cut off.
    QVERIFY(qAbs(stored.pixelColor(0, 0).hue() - picture.pixelColor(80, 0).hue()) <= 3);

    // Removed: Bob's client forgets it.
    QCOMPARE(typeOf(clearAvatar(*mei)), QStringLiteral("user"));
    QTRY_COMPARE(registry->avatarOf(mei->userId), QString());
    QCOMPARE(registry->source(double(mei->userId)), QString());
}

QTEST_MAIN(TestAvatarE2e)
#include "tst_avatar_e2e.moc"
