// Files against a real server (issue 16, docs/protocol.md "Files"): upload in
// binary chunks, verified by SHA-256, attached to a message and downloaded
// byte for byte by a member; outsiders and missing files answered alike;
// size and quota refused before anything is stored; resumed after a cut;
// a wrong hash deletes; wrong offsets and malformed frames refused with the
// connection kept; attachment rules; deleting the message deletes its files;
// a member removed loses access. On SQLite and PostgreSQL.
#include "attention_helpers.h"
#include "file_helpers.h"
#include "lifecycle_helpers.h"

#include <QSqlQuery>

using namespace confab;
using namespace confab::test;

namespace {

// Rows of `table`, read straight from the server's database.
int rowsOf(TestServer& server, const char* table)
{
    const QString name = QStringLiteral("files-%1").arg(QRandomGenerator::global()->generate());
    int count = -1;
    {
        QSqlDatabase db = openTestDatabase(server.databaseUrl(), name);
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT COUNT(*) FROM %1").arg(QLatin1String(table))) && q.next())
            count = q.value(0).toInt();
    }
    QSqlDatabase::removeDatabase(name);
    return count;
}

// Three chunks, the last one short.
const qsizetype kThreeChunks = 2 * limits::kFileChunkBytes + 75712;

} // namespace

class TestServerFiles : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { CONFAB_REQUIRE_TEST_BACKEND(); }
    void uploadAttachDownload();
    void refusedBeforeStoring();
    void resumeAfterCut();
    void wrongShaDeletes();
    void wrongOffsetsAndMalformedFrames();
    void attachmentRules();
    void deletingTheMessageDeletesItsFiles();
    void removedMemberLosesAccess();
};

void TestServerFiles::uploadAttachDownload()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    auto carol = server.user(QStringLiteral("carol")); // not in the room
    QVERIFY(alice && bob && carol);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    QVERIFY(room);

    const QByteArray bytes = randomBytes(kThreeChunks);
    const QJsonObject reply = uploadFile(*alice, room, bytes, QStringLiteral("../会议纪要.pdf"));
    QCOMPARE(typeOf(reply), QStringLiteral("upload"));
    const qint64 fileId = idIn(payloadOf(reply), "fileId");
    QVERIFY(fileId > 0);
    QCOMPARE(payloadOf(reply).value(QLatin1String("offset")).toInt(), 0);
    QCOMPARE(qint64(payloadOf(reply).value(QLatin1String("chunkBytes")).toDouble()), limits::kFileChunkBytes);
    sendChunks(*alice, fileId, bytes);
    const QJsonObject done =
        payloadOf(alice->waitFor(QStringLiteral("upload_done"), 10000, fileIdIs(fileId)));
    const QJsonObject file = done.value(QLatin1String("file")).toObject();
    QCOMPARE(file.value(QLatin1String("sha256")).toString(), sha256Hex(bytes));
    QCOMPARE(file.value(QLatin1String("name")).toString(), QStringLiteral("../会议纪要.pdf")); // data
    QCOMPARE(qint64(file.value(QLatin1String("size")).toDouble()), qint64(bytes.size()));
    const QList<QJsonObject> progress = alice->takeAll(QStringLiteral("upload_progress"));
    QCOMPARE(progress.size(), 3);
    QCOMPARE(qint64(payloadOf(progress.last()).value(QLatin1String("offset")).toDouble()),
             qint64(bytes.size()));

    // Unattached: the uploader's alone.
    QCOMPARE(download(*alice, fileId), bytes);
    QJsonObject refused;
    QVERIFY(download(*bob, fileId, &refused).isEmpty());
    QCOMPARE(errorCodeOf(refused), QStringLiteral("not_found"));

    // Attached: every member; the message carries it everywhere.
    const QJsonObject ack = sendWithAttachments(*alice, room, attach({fileId}));
    QCOMPARE(typeOf(ack), QStringLiteral("message_ack"));
    const qint64 messageId = idIn(payloadOf(ack), "messageId");
    const QJsonObject pushed = payloadOf(bob->waitFor(QStringLiteral("message"), 5000, messageIs(messageId)))
                                   .value(QLatin1String("message"))
                                   .toObject();
    QCOMPARE(pushed.value(QLatin1String("attachments")).toArray(), QJsonArray{file});
    QCOMPARE(inHistory(*bob, room, messageId).value(QLatin1String("attachments")).toArray(),
             QJsonArray{file});
    QCOMPARE(listedRoom(*bob, room)
                 .value(QLatin1String("lastMessage"))
                 .toObject()
                 .value(QLatin1String("attachments"))
                 .toArray(),
             QJsonArray{file});
    QJsonObject fileReply;
    const QByteArray got = download(*bob, fileId, &fileReply);
    QCOMPARE(typeOf(fileReply), QStringLiteral("file"));
    QCOMPARE(payloadOf(fileReply).value(QLatin1String("file")).toObject(), file);
    QCOMPARE(got, bytes);
    QCOMPARE(sha256Hex(got), file.value(QLatin1String("sha256")).toString());
    // From an offset (a resumed download).
    QCOMPARE(download(*bob, fileId, nullptr, 300000), bytes.mid(300000));
    QCOMPARE(
        errorCodeOf(bob->request(QStringLiteral("fetch_file"), {{QStringLiteral("fileId"), fileId},
                                                                {QStringLiteral("offset"), bytes.size()}})),
        QStringLiteral("bad_request"));

    // An outsider gets exactly what a missing file gets.
    const QJsonObject outsider =
        carol->request(QStringLiteral("fetch_file"), {{QStringLiteral("fileId"), fileId}});
    const QJsonObject missing =
        carol->request(QStringLiteral("fetch_file"), {{QStringLiteral("fileId"), 999999}});
    QCOMPARE(errorCodeOf(outsider), QStringLiteral("not_found"));
    QCOMPARE(payloadOf(outsider), payloadOf(missing));
    QVERIFY(carol->binaryInbox.isEmpty());
}

void TestServerFiles::refusedBeforeStoring()
{
    auto config = TestServer::defaultConfig();
    config.maxFileBytes = 100000;
    config.userQuotaBytes = 150000;
    TestServer server(config);
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {});
    QVERIFY(room);

    const QJsonObject tooBig = uploadFile(*alice, room, randomBytes(100001));
    QCOMPARE(errorCodeOf(tooBig), QStringLiteral("too_large"));
    QCOMPARE(payloadOf(tooBig).value(QLatin1String("message")).toString(),
             QStringLiteral("files may be at most 100000 bytes"));
    QCOMPARE(errorCodeOf(uploadFile(*alice, room, randomBytes(10), QStringLiteral("a\nb"))),
             QStringLiteral("bad_request"));
    QCOMPARE(
        errorCodeOf(uploadFile(*alice, room, randomBytes(10), QStringLiteral("x"), QStringLiteral("abc"))),
        QStringLiteral("bad_request"));
    QCOMPARE(errorCodeOf(uploadFile(*bob, room, randomBytes(10))),
             QStringLiteral("forbidden")); // not a member
    QCOMPARE(rowsOf(server, "files"), 0);

    // The quota counts unfinished uploads too; cancelling frees it.
    QCOMPARE(typeOf(uploadFile(*alice, room, randomBytes(100000))), QStringLiteral("upload"));
    const QJsonObject over = uploadFile(*alice, room, randomBytes(60000));
    QCOMPARE(errorCodeOf(over), QStringLiteral("too_large"));
    QCOMPARE(payloadOf(over).value(QLatin1String("message")).toString(),
             QStringLiteral("over your storage quota (50000 bytes free)"));
    QCOMPARE(rowsOf(server, "files"), 1);
    const QJsonObject second = uploadFile(*alice, room, randomBytes(50000));
    QCOMPARE(typeOf(second), QStringLiteral("upload"));
    const qint64 secondId = idIn(payloadOf(second), "fileId");
    QCOMPARE(typeOf(alice->request(QStringLiteral("cancel_upload"), {{QStringLiteral("fileId"), secondId}})),
             QStringLiteral("ok"));
    QCOMPARE(
        errorCodeOf(alice->request(QStringLiteral("cancel_upload"), {{QStringLiteral("fileId"), secondId}})),
        QStringLiteral("not_found"));
    QCOMPARE(typeOf(uploadFile(*alice, room, randomBytes(50000))), QStringLiteral("upload"));
}

void TestServerFiles::resumeAfterCut()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    const QByteArray bytes = randomBytes(kThreeChunks);
    const qint64 fileId = idIn(payloadOf(uploadFile(*alice, room, bytes)), "fileId");
    QVERIFY(fileId);
    sendChunks(*alice, fileId, bytes, 0, limits::kFileChunkBytes);
    QVERIFY(!alice->waitFor(QStringLiteral("upload_progress"), 5000, fileIdIs(fileId)).isEmpty());
    alice->socket().abort(); // the connection drops mid-upload

    auto again = server.secondConnection(*alice);
    QVERIFY(again);
    const QJsonObject resumed =
        again->request(QStringLiteral("upload_file"), {{QStringLiteral("fileId"), fileId}});
    QCOMPARE(typeOf(resumed), QStringLiteral("upload"));
    QCOMPARE(qint64(payloadOf(resumed).value(QLatin1String("offset")).toDouble()), limits::kFileChunkBytes);
    // Nobody else resumes it.
    QCOMPARE(errorCodeOf(bob->request(QStringLiteral("upload_file"), {{QStringLiteral("fileId"), fileId}})),
             QStringLiteral("not_found"));
    sendChunks(*again, fileId, bytes, limits::kFileChunkBytes);
    const QJsonObject done = again->waitFor(QStringLiteral("upload_done"), 10000, fileIdIs(fileId));
    QCOMPARE(
        payloadOf(done).value(QLatin1String("file")).toObject().value(QLatin1String("sha256")).toString(),
        sha256Hex(bytes));
    // Resuming a finished upload says so.
    QCOMPARE(typeOf(again->request(QStringLiteral("upload_file"), {{QStringLiteral("fileId"), fileId}})),
             QStringLiteral("upload_done"));
    QCOMPARE(download(*again, fileId), bytes);
}

void TestServerFiles::wrongShaDeletes()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    QVERIFY(alice);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {});
    const QByteArray bytes = randomBytes(1000);
    const qint64 fileId =
        idIn(payloadOf(uploadFile(*alice, room, bytes, QStringLiteral("x"), sha256Hex("other"))), "fileId");
    QVERIFY(fileId);
    sendChunks(*alice, fileId, bytes);
    const QJsonObject error = payloadOf(alice->waitFor(QStringLiteral("error"), 5000, fileIdIs(fileId)));
    QCOMPARE(error.value(QLatin1String("code")).toString(), QStringLiteral("bad_request"));
    QCOMPARE(error.value(QLatin1String("message")).toString(),
             QStringLiteral("sha256 does not match the bytes received"));
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("upload_file"), {{QStringLiteral("fileId"), fileId}})),
             QStringLiteral("not_found"));
    QCOMPARE(rowsOf(server, "files"), 0);
    QCOMPARE(rowsOf(server, "file_chunks"), 0);
}

void TestServerFiles::wrongOffsetsAndMalformedFrames()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {});
    const QByteArray bytes = randomBytes(5000);
    const qint64 fileId = idIn(payloadOf(uploadFile(*alice, room, bytes)), "fileId");
    QVERIFY(fileId);

    sendChunk(*alice, fileId, 100, QByteArrayView(bytes).sliced(100, 100));
    QJsonObject e = payloadOf(alice->waitFor(QStringLiteral("error"), 5000));
    QCOMPARE(e.value(QLatin1String("message")).toString(), QStringLiteral("expected offset 0"));
    QCOMPARE(idIn(e, "fileId"), fileId);
    QCOMPARE(e.value(QLatin1String("offset")).toInt(-1), 0);

    sendChunk(*alice, fileId, 0, randomBytes(5001)); // past the size
    e = payloadOf(alice->waitFor(QStringLiteral("error"), 5000));
    QCOMPARE(e.value(QLatin1String("code")).toString(), QStringLiteral("bad_request"));
    QCOMPARE(idIn(e, "fileId"), fileId);

    sendChunk(*bob, fileId, 0, bytes); // not bob's
    e = payloadOf(bob->waitFor(QStringLiteral("error"), 5000));
    QCOMPARE(e.value(QLatin1String("message")).toString(), QStringLiteral("no such upload"));

    const QString notChunks = QStringLiteral("binary frames must be file chunks (see Files)");
    for (const QByteArray& frame :
         QList<QByteArray>{QByteArray("x"), QByteArray(17, '\1'),
                           filechunk::encode(filechunk::Kind::Download, quint64(fileId), 0, "abc"),
                           QByteArray(1, '\7') + QByteArray(16, '\0') + "abc"}) {
        alice->sendBinary(frame);
        e = payloadOf(alice->waitFor(QStringLiteral("error"), 5000));
        QCOMPARE(e.value(QLatin1String("message")).toString(), notChunks);
    }
    // Nothing of it was stored; the connection goes on and the upload completes.
    QCOMPARE(rowsOf(server, "file_chunks"), 0);
    QCOMPARE(typeOf(alice->request(QStringLiteral("ping"))), QStringLiteral("pong"));
    sendChunks(*alice, fileId, bytes);
    QVERIFY(!alice->waitFor(QStringLiteral("upload_done"), 5000, fileIdIs(fileId)).isEmpty());

    // Before sign-in a chunk is refused like any request.
    auto stranger = server.client();
    QVERIFY(stranger);
    sendChunk(*stranger, fileId, 0, bytes);
    QCOMPARE(
        payloadOf(stranger->waitFor(QStringLiteral("error"), 5000)).value(QLatin1String("code")).toString(),
        QStringLiteral("unauthenticated"));
}

void TestServerFiles::attachmentRules()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    const qint64 other = createGroup(*alice, QStringLiteral("other"), {});
    const qint64 mine = idIn(uploadWhole(*alice, room, randomBytes(100)), "id");
    const qint64 bobs = idIn(uploadWhole(*bob, room, randomBytes(100)), "id");
    const qint64 elsewhere = idIn(uploadWhole(*alice, other, randomBytes(100)), "id");
    const qint64 png = idIn(
        uploadWhole(*alice, room, fakePng(500), QStringLiteral("t.png"), QStringLiteral("image/png")), "id");
    QVERIFY(mine && bobs && elsewhere && png);

    for (const QJsonArray& refused :
         {attach({bobs}), attach({elsewhere}), attach({mine, 999999}),
          QJsonArray{QJsonObject{{QStringLiteral("id"), png}, {QStringLiteral("thumbnailId"), mine}}}}) {
        const QJsonObject answer = sendWithAttachments(*alice, room, refused, {}, QStringLiteral("same"));
        QCOMPARE(errorCodeOf(answer), QStringLiteral("not_found"));
        QCOMPARE(payloadOf(answer).value(QLatin1String("message")).toString(),
                 QStringLiteral("no such file"));
    }
    QCOMPARE(errorCodeOf(sendWithAttachments(*alice, room, attach({mine, mine}))),
             QStringLiteral("bad_request"));
    // Nothing was stored by the refusals: the same tempId now stores the message.
    const QJsonObject ack = sendWithAttachments(
        *alice, room,
        QJsonArray{QJsonObject{{QStringLiteral("id"), mine}, {QStringLiteral("thumbnailId"), png}}},
        QStringLiteral("see"), QStringLiteral("same"));
    QCOMPARE(typeOf(ack), QStringLiteral("message_ack"));
    const QJsonArray attachments = inHistory(*bob, room, idIn(payloadOf(ack), "messageId"))
                                       .value(QLatin1String("attachments"))
                                       .toArray();
    QCOMPARE(attachments.size(), 1);
    QCOMPARE(idIn(attachments.at(0).toObject(), "id"), mine);
    QCOMPARE(idIn(attachments.at(0).toObject(), "thumbnailId"), png);
    QCOMPARE(download(*bob, png).size(), 500); // a thumbnail is the room's too
    // Claimed once only.
    QCOMPARE(errorCodeOf(sendWithAttachments(*alice, room, attach({mine}))), QStringLiteral("not_found"));
    QCOMPARE(errorCodeOf(alice->request(QStringLiteral("cancel_upload"), {{QStringLiteral("fileId"), mine}})),
             QStringLiteral("not_found"));
}

void TestServerFiles::deletingTheMessageDeletesItsFiles()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    const qint64 fileId = idIn(uploadWhole(*alice, room, randomBytes(kThreeChunks)), "id");
    QVERIFY(fileId);
    const qint64 messageId =
        idIn(payloadOf(sendWithAttachments(*alice, room, attach({fileId}))), "messageId");
    QVERIFY(messageId);
    QCOMPARE(rowsOf(server, "file_chunks"), 3);
    QCOMPARE(typeOf(deleteMessage(*alice, messageId)), QStringLiteral("ok"));
    QCOMPARE(inHistory(*bob, room, messageId).value(QLatin1String("attachments")).toArray(), QJsonArray());
    QJsonObject reply;
    QVERIFY(download(*bob, fileId, &reply).isEmpty());
    QCOMPARE(errorCodeOf(reply), QStringLiteral("not_found"));
    QCOMPARE(rowsOf(server, "files"), 0);
    QCOMPARE(rowsOf(server, "file_chunks"), 0);
}

void TestServerFiles::removedMemberLosesAccess()
{
    TestServer server;
    QVERIFY(server.start());
    auto alice = server.user(QStringLiteral("alice"));
    auto bob = server.user(QStringLiteral("bob"));
    QVERIFY(alice && bob);
    const qint64 room = createGroup(*alice, QStringLiteral("team"), {bob->userId});
    const QByteArray bytes = randomBytes(1000);
    const qint64 fileId = idIn(uploadWhole(*alice, room, bytes), "id");
    QVERIFY(idIn(payloadOf(sendWithAttachments(*alice, room, attach({fileId}))), "messageId"));
    QCOMPARE(download(*bob, fileId), bytes);
    QCOMPARE(
        typeOf(alice->request(QStringLiteral("remove_member"),
                              {{QStringLiteral("roomId"), room}, {QStringLiteral("userId"), bob->userId}})),
        QStringLiteral("ok"));
    QJsonObject reply;
    QVERIFY(download(*bob, fileId, &reply).isEmpty());
    QCOMPARE(errorCodeOf(reply), QStringLiteral("not_found"));
}

CONFAB_TEST_GUILESS_MAIN(TestServerFiles)
#include "tst_server_files.moc"
