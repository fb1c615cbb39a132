// Files (issue 16): the file object, upload_file (new and resumed), upload,
// upload_progress, upload_done, cancel_upload, fetch_file, file,
// cancel_fetch, attachments on message and send_message, errors that name a
// file, and the 17-byte binary chunk header (encode, decode, every way a
// frame can fail to be a chunk).
#include "protocol_fixture.h"

#include "protocol/file_chunk.h"

namespace {

const char kSha[] = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

QByteArray fileJson(const char* extra = "")
{
    return QByteArray(R"({"id":91,"name":"a/../b.png","size":183402,"mime":"image/png","sha256":")") + kSha +
           "\"" + extra + "}";
}

} // namespace

class TestProtocolFiles : public QObject {
    Q_OBJECT

private slots:
    void fileInfo();
    void uploadFileNew();
    void uploadFileResume();
    void uploadFileTooLarge();
    void repliesAndEvents();
    void fetchAndCancel();
    void messageAttachments();
    void sendMessageAttachments();
    void errorNamesTheFile();
    void chunkRoundTrip();
    void chunkRefusals_data();
    void chunkRefusals();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
};

void TestProtocolFiles::fileInfo()
{
    GOLDEN(FileInfo, fromJson, toJson, fileJson(R"(,"width":1280,"height":800,"thumbnailId":92)"));
    QCOMPARE(r->id, Id(91));
    QCOMPARE(r->name, str("a/../b.png")); // data, not a path
    QCOMPARE(r->size, qint64(183402));
    QCOMPARE(r->width, std::optional<int>(1280));
    QCOMPARE(r->thumbnailId, std::optional<Id>(92));
    QVERIFY(isSha256Hex(str(kSha)));
    QVERIFY(!isSha256Hex(str(kSha).toUpper()));
}

void TestProtocolFiles::uploadFileNew()
{
    GOLDEN(UploadFileRequest, fromPayload, toPayload,
           QByteArray(R"({"roomId":7,"name":"会议纪要.pdf","size":482113,"sha256":")") + kSha +
               R"(","mime":"application/pdf"})");
    QVERIFY(!r->fileId);
    QCOMPARE(r->roomId, Id(7));
    QCOMPARE(r->declared().name, str("会议纪要.pdf"));
}

void TestProtocolFiles::uploadFileResume()
{
    GOLDEN(UploadFileRequest, fromPayload, toPayload, R"({"fileId":91})");
    QCOMPARE(r->fileId, std::optional<Id>(91));
}

void TestProtocolFiles::uploadFileTooLarge()
{
    const QByteArray body = QByteArray(R"({"roomId":7,"name":"x","sha256":")") + kSha + R"(","size":)";
    QVERIFY(UploadFileRequest::fromPayload(object(body + "1000}"), 1000).ok());
    const auto over = UploadFileRequest::fromPayload(object(body + "1001}"), 1000);
    QVERIFY(!over.ok());
    QCOMPARE(over.error().code, ErrorCode::TooLarge);
    QCOMPARE(over.error().message, str("files may be at most 1000 bytes"));
}

void TestProtocolFiles::repliesAndEvents()
{
    {
        GOLDEN(UploadReply, fromPayload, toPayload, R"({"fileId":91,"offset":0,"chunkBytes":262144})");
        QCOMPARE(r->chunkBytes, limits::kFileChunkBytes);
    }
    {
        GOLDEN(UploadProgressEvent, fromPayload, toPayload, R"({"fileId":91,"offset":183402})");
        QCOMPARE(r->offset, qint64(183402));
    }
    GOLDEN(UploadDoneEvent, fromPayload, toPayload, "{\"file\":" + fileJson() + "}");
    QCOMPARE(r->file.sha256, str(kSha));
}

void TestProtocolFiles::fetchAndCancel()
{
    {
        GOLDEN(FetchFileRequest, fromPayload, toPayload, R"({"fileId":88,"offset":262144})");
        QCOMPARE(r->offset, qint64(262144));
    }
    {
        GOLDEN(FileReply, fromPayload, toPayload, "{\"offset\":0,\"file\":" + fileJson() + "}");
        QCOMPARE(r->file.id, Id(91));
    }
    GOLDEN(FileIdRequest, fromPayload, toPayload, R"({"fileId":88})");
}

void TestProtocolFiles::messageAttachments()
{
    Message m = plainMessage();
    m.attachments = {*FileInfo::fromJson(object(fileJson()))};
    const Result<Message> back = Message::fromJson(m.toJson());
    QVERIFY2(back.ok(), qPrintable(why(back)));
    QCOMPARE(*back, m);
    QCOMPARE(m.toJson().value(QLatin1String("attachments")).toArray().size(), 1);
    // None: [] on the wire; absent (a core-contract peer) reads as none.
    QJsonObject none = plainMessage().toJson();
    QCOMPARE(none.value(QLatin1String("attachments")), QJsonValue(QJsonArray()));
    none.remove(QLatin1String("attachments"));
    QVERIFY(Message::fromJson(none)->attachments.isEmpty());
}

void TestProtocolFiles::sendMessageAttachments()
{
    GOLDEN(SendMessageRequest, fromPayload, toPayload,
           R"({"roomId":7,"content":"","tempId":"t1","attachments":[{"id":91,"thumbnailId":92},{"id":93}]})");
    QCOMPARE(r->attachments.size(), 2);
    QCOMPARE(r->attachments.at(0).thumbnailId, std::optional<Id>(92));
    QVERIFY(r->content.isEmpty());
}

void TestProtocolFiles::errorNamesTheFile()
{
    const QJsonObject payload =
        object(R"({"code":"bad_request","message":"expected offset 262144","fileId":91,"offset":262144})");
    const Result<Error> e = errorFromPayload(payload);
    QVERIFY(e.ok());
    QCOMPARE(e->fileId, qint64(91));
    QCOMPARE(e->offset, qint64(262144));
    QCOMPARE(errorEnvelope(e.value()).payload, payload);
    // Other errors carry neither.
    QVERIFY(
        !errorEnvelope(makeError(ErrorCode::NotFound, str("x"))).payload.contains(QLatin1String("fileId")));
}

void TestProtocolFiles::chunkRoundTrip()
{
    const QByteArray data("hello");
    const QByteArray frame = filechunk::encode(filechunk::Kind::Upload, 0x0102030405060708, 262144, data);
    QCOMPARE(frame.size(), filechunk::kHeaderBytes + data.size());
    QCOMPARE(frame.left(17).toHex(), QByteArray("01"
                                                "0102030405060708"
                                                "0000000000040000"));
    const std::optional<filechunk::Chunk> chunk = filechunk::decode(frame);
    QVERIFY(chunk);
    QCOMPARE(chunk->kind, filechunk::Kind::Upload);
    QCOMPARE(chunk->fileId, quint64(0x0102030405060708));
    QCOMPARE(chunk->offset, quint64(262144));
    QCOMPARE(chunk->data.toByteArray(), data);
    // The largest chunk.
    const QByteArray full(limits::kFileChunkBytes, 'z');
    const auto big = filechunk::decode(filechunk::encode(filechunk::Kind::Download, 1, 0, full));
    QVERIFY(big);
    QCOMPARE(big->data.size(), limits::kFileChunkBytes);
}

void TestProtocolFiles::chunkRefusals_data()
{
    QTest::addColumn<QByteArray>("frame");
    const QByteArray header = QByteArray::fromHex("01"
                                                  "0000000000000005"
                                                  "0000000000000000");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("header only") << header;
    QTest::newRow("short header") << header.left(9);
    QTest::newRow("kind 0") << QByteArray(1, '\0') + header.mid(1) + "x";
    QTest::newRow("kind 3") << QByteArray(1, '\3') + header.mid(1) + "x";
    QTest::newRow("text") << QByteArray(R"({"type":"ping","payload":{}})");
    QTest::newRow("one byte over") << header + QByteArray(limits::kFileChunkBytes + 1, 'x');
    QTest::newRow("offset overflows") << QByteArray::fromHex("01"
                                                             "0000000000000005"
                                                             "ffffffffffffffff") +
                                             "xy";
}

void TestProtocolFiles::chunkRefusals()
{
    QFETCH(QByteArray, frame);
    QVERIFY(!filechunk::decode(frame));
}

void TestProtocolFiles::normalized_data()
{
    normalizedColumns();
    const QByteArray sha(kSha);
    row("upload_file: mime absent, name trimmed, mime lowercased", "request:upload_file",
        R"({"roomId":7,"name":"  x.bin ","size":5,"sha256":")" + sha + "\"}",
        R"({"roomId":7,"name":"x.bin","size":5,"sha256":")" + sha +
            R"(","mime":"application/octet-stream"})");
    row("upload_file: mime upper case", "request:upload_file",
        R"({"roomId":7,"name":"x","size":5,"sha256":")" + sha + R"(","mime":"Image/PNG"})",
        R"({"roomId":7,"name":"x","size":5,"sha256":")" + sha + R"(","mime":"image/png"})");
    row("fetch_file: offset absent", "request:fetch_file", R"({"fileId":"88"})", R"({"fileId":88})");
}

void TestProtocolFiles::badInput_data()
{
    badInputColumns();
    const QByteArray sha(kSha);
    const QByteArray base = R"({"roomId":7,"size":5,"sha256":")" + sha + "\"";
    bad("upload_file: empty", "request:upload_file", "{}", "roomId");
    bad("upload_file: size 0", "request:upload_file", base.left(base.indexOf("\"size\"")) + R"("size":0})",
        "size");
    bad("upload_file: size text", "request:upload_file", R"({"roomId":7,"size":"5"})", "size");
    bad("upload_file: no name", "request:upload_file", base + "}", "name");
    bad("upload_file: blank name", "request:upload_file", base + R"(,"name":"  "})", "name");
    bad("upload_file: name 256", "request:upload_file", base + R"(,"name":")" + repeated("n", 256) + "\"}",
        "name");
    bad("upload_file: name with newline", "request:upload_file", base + R"(,"name":"a\nb"})", "name");
    bad("upload_file: name with C1", "request:upload_file", base + R"(,"name":"a\u0085b"})", "name");
    bad("upload_file: name lone surrogate", "request:upload_file", base + R"(,"name":"a\ud800b"})", "name");
    bad("upload_file: sha upper", "request:upload_file",
        R"({"roomId":7,"size":5,"name":"x","sha256":")" + sha.toUpper() + "\"}", "sha256");
    bad("upload_file: sha short", "request:upload_file", R"({"roomId":7,"size":5,"name":"x","sha256":"ab"})",
        "sha256");
    bad("upload_file: mime no slash", "request:upload_file", base + R"(,"name":"x","mime":"png"})", "mime");
    bad("upload_file: mime params", "request:upload_file", base + R"(,"name":"x","mime":"text/plain; a=b"})",
        "mime");
    bad("upload_file: mime long", "request:upload_file",
        base + R"(,"name":"x","mime":"a/)" + repeated("b", 100) + "\"}", "mime");
    bad("upload_file: width 0", "request:upload_file", base + R"(,"name":"x","width":0})", "width");
    bad("upload_file: height huge", "request:upload_file", base + R"(,"name":"x","height":65536})", "height");
    bad("upload_file: fileId bool", "request:upload_file", R"({"fileId":true})", "fileId");
    bad("fetch_file: negative offset", "request:fetch_file", R"({"fileId":1,"offset":-1})", "offset");
    bad("fetch_file: no id", "request:fetch_file", "{}", "fileId");
    bad("cancel_upload: no id", "request:cancel_upload", "{}", "fileId");
    bad("upload: chunkBytes 0", "reply:upload", R"({"fileId":1,"offset":0,"chunkBytes":0})", "chunkBytes");
    bad("file: offset at size", "reply:file", "{\"offset\":183402,\"file\":" + fileJson() + "}", "offset");
    bad("file: size 0", "reply:upload_done",
        R"({"file":{"id":1,"name":"x","size":0,"mime":"a/b","sha256":")" + sha + "\"}}", "file.size");
    bad("send_message: 11 attachments", "request:send_message",
        R"({"roomId":7,"content":"x","tempId":"t","attachments":[)" + repeated(R"({"id":1},)", 10) +
            R"({"id":99}]})",
        "attachments");
    bad("send_message: same id twice", "request:send_message",
        R"({"roomId":7,"content":"","tempId":"t","attachments":[{"id":5},{"id":6,"thumbnailId":5}]})",
        "attachments");
    bad("send_message: empty content without files", "request:send_message",
        R"({"roomId":7,"content":"","tempId":"t"})", "content");
    bad("send_message: attachments not a list", "request:send_message",
        R"({"roomId":7,"content":"x","tempId":"t","attachments":{}})", "attachments");
}

QTEST_APPLESS_MAIN(TestProtocolFiles)
#include "tst_protocol_files.moc"
