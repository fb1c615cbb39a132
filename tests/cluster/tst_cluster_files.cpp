// Files on two confab-server instances sharing one PostgreSQL database: an
// upload begun on A is resumed on B (the durable offset is the database's),
// a message with the attachment sent on B reaches a member on A with its
// attachments, and the member downloads it from A byte for byte.
#include "../server/file_helpers.h"
#include "scratch_postgres.h"
#include "server_process.h"

#include <QTest>

using namespace confab;
using namespace confab::test;

class TestClusterFiles : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void uploadResumedAndServedAcrossInstances();
};

void TestClusterFiles::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    CONFAB_REQUIRE_POSTGRES();
}

void TestClusterFiles::uploadResumedAndServedAcrossInstances()
{
    ScratchPostgres db;
    QVERIFY2(db.isValid(), qPrintable(db.error()));
    ServerProcess a, b;
    QVERIFY(a.start(clusterArguments(db.url())));
    QVERIFY(b.start(clusterArguments(db.url())));
    auto alice = signUpAt(a.url(), QStringLiteral("alice"));
    auto bob = signUpAt(a.url(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("two instances"), {bob->userId});
    QVERIFY(room);

    // Begun on A: one chunk stored, then the connection is gone.
    const QByteArray bytes = randomBytes(2 * limits::kFileChunkBytes + 1000);
    const qint64 fileId = idIn(payloadOf(uploadFile(*alice, room, bytes)), "fileId");
    QVERIFY(fileId);
    sendChunks(*alice, fileId, bytes, 0, limits::kFileChunkBytes);
    QVERIFY(!alice->waitFor(QStringLiteral("upload_progress"), 5000, fileIdIs(fileId)).isEmpty());
    alice->socket().abort();

    // Resumed on B from the offset A stored.
    auto aliceOnB = connectAs(b.url(), *alice);
    QVERIFY(aliceOnB);
    const QJsonObject resumed =
        aliceOnB->request(QStringLiteral("upload_file"), {{QStringLiteral("fileId"), fileId}});
    QCOMPARE(typeOf(resumed), QStringLiteral("upload"));
    QCOMPARE(qint64(payloadOf(resumed).value(QLatin1String("offset")).toDouble()), limits::kFileChunkBytes);
    sendChunks(*aliceOnB, fileId, bytes, limits::kFileChunkBytes);
    const QJsonObject file =
        payloadOf(aliceOnB->waitFor(QStringLiteral("upload_done"), 10000, fileIdIs(fileId)))
            .value(QLatin1String("file"))
            .toObject();
    QCOMPARE(file.value(QLatin1String("sha256")).toString(), sha256Hex(bytes));

    // Sent on B, delivered on A with the attachment, downloaded from A.
    const QJsonObject ack =
        sendWithAttachments(*aliceOnB, room, attach({fileId}), QStringLiteral("the deck"));
    const qint64 messageId = idIn(payloadOf(ack), "messageId");
    QVERIFY(messageId);
    const QJsonObject pushed = payloadOf(bob->waitFor(QStringLiteral("message"), 5000, messageIs(messageId)))
                                   .value(QLatin1String("message"))
                                   .toObject();
    QCOMPARE(pushed.value(QLatin1String("attachments")).toArray(), QJsonArray{file});
    QCOMPARE(download(*bob, fileId), bytes);
}

CONFAB_TEST_GUILESS_MAIN(TestClusterFiles)
#include "tst_cluster_files.moc"
