// Avatars (issue 15): set_avatar, fetch_avatar and the avatar reply; the
// user's avatarId; the type sniffed from magic bytes, the size limits on the
// base64 text and on the decoded bytes, and an avatar reply whose bytes do
// not hash to its id (a client files what it fetched under that id).
#include "protocol_fixture.h"

namespace {

// 16 bytes: the PNG signature and the start of an IHDR chunk.
const char kPngBase64[] = "iVBORw0KGgoAAAANSUhEUg==";
const char kPngSha[] = "02a3e298f1533f62558c58e4c70edcab9af5a50d62d925fd5390942020fb0fb8";
// 10 bytes: a JPEG SOI and APP0 marker.
const char kJpegBase64[] = "/9j/4AAQSkZJRg==";
const char kJpegSha[] = "45ae705277879f7f01d778f7c95a065bb0c06ab9936cf24307f375211fee13d1";

QByteArray b64(const QByteArray& bytes)
{
    return bytes.toBase64();
}

// A PNG signature followed by filler, `size` bytes in all, as base64.
QByteArray pngOfSize(qsizetype size)
{
    QByteArray bytes = QByteArray::fromHex("89504e470d0a1a0a");
    bytes.append(QByteArray(size - bytes.size(), 'x'));
    return b64(bytes);
}

} // namespace

class TestProtocolAvatars : public QObject {
    Q_OBJECT

private slots:
    void sniffAndIds();
    void setAvatarRequest();
    void setAvatarClear();
    void setAvatarAtTheLimit();
    void fetchAvatarRequest();
    void avatarReply();
    void userCarriesAvatarId();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
};

void TestProtocolAvatars::sniffAndIds()
{
    QCOMPARE(sniffAvatarMime(QByteArray::fromBase64(kPngBase64)), std::optional<AvatarMime>(AvatarMime::Png));
    QCOMPARE(sniffAvatarMime(QByteArray::fromBase64(kJpegBase64)),
             std::optional<AvatarMime>(AvatarMime::Jpeg));
    QCOMPARE(sniffAvatarMime(QByteArray::fromHex("89504e470d0a1a")), std::nullopt); // one byte short
    QCOMPARE(sniffAvatarMime("GIF89a"), std::nullopt);
    QCOMPARE(sniffAvatarMime(QByteArray()), std::nullopt);
    QCOMPARE(avatarIdOf(QByteArray::fromBase64(kPngBase64)), str(kPngSha));
    QVERIFY(isAvatarId(str(kPngSha)));
    QVERIFY(!isAvatarId(str(kPngSha).toUpper()));
    QVERIFY(!isAvatarId(str(kPngSha).left(63)));
    QVERIFY(!isAvatarId(str("../") + str(kPngSha).mid(3)));
    QCOMPARE(avatarMimeFromName(str("image/gif")), std::nullopt);
    QCOMPARE(avatarMimeName(AvatarMime::Jpeg), str("image/jpeg"));
}

void TestProtocolAvatars::setAvatarRequest()
{
    GOLDEN(SetAvatarRequest, fromPayload, toPayload,
           QByteArray(R"({"data":")") + kPngBase64 + R"(","mime":"image/png"})");
    QVERIFY(!r->clear);
    QCOMPARE(r->mime, AvatarMime::Png);
    QCOMPARE(r->bytes, QByteArray::fromBase64(kPngBase64));
}

void TestProtocolAvatars::setAvatarClear()
{
    GOLDEN(SetAvatarRequest, fromPayload, toPayload, R"({"clear":true})");
    QVERIFY(r->clear);
    QVERIFY(r->bytes.isEmpty());
}

// Exactly kAvatarMaxBytes is accepted; one more is too_large (the text is
// still within its own limit, so the decoded size decides).
void TestProtocolAvatars::setAvatarAtTheLimit()
{
    const auto at =
        SetAvatarRequest::fromPayload(object(R"({"data":")" + pngOfSize(limits::kAvatarMaxBytes) + "\"}"));
    QVERIFY2(at.ok(), qPrintable(why(at)));
    QCOMPARE(at->bytes.size(), limits::kAvatarMaxBytes);
    const auto over = SetAvatarRequest::fromPayload(
        object(R"({"data":")" + pngOfSize(limits::kAvatarMaxBytes + 1) + "\"}"));
    QVERIFY(!over.ok());
    QCOMPARE(over.error().code, ErrorCode::TooLarge);
}

void TestProtocolAvatars::fetchAvatarRequest()
{
    GOLDEN(FetchAvatarRequest, fromPayload, toPayload, QByteArray(R"({"avatarId":")") + kJpegSha + "\"}");
    QCOMPARE(r->avatarId, str(kJpegSha));
}

void TestProtocolAvatars::avatarReply()
{
    GOLDEN(AvatarReply, fromPayload, toPayload,
           QByteArray(R"({"avatarId":")") + kJpegSha + R"(","mime":"image/jpeg","data":")" + kJpegBase64 +
               "\"}");
    QCOMPARE(r->bytes, QByteArray::fromBase64(kJpegBase64));
    QCOMPARE(r->mime, AvatarMime::Jpeg);
}

void TestProtocolAvatars::userCarriesAvatarId()
{
    {
        GOLDEN(User, fromJson, toJson,
               QByteArray(R"({"id":3,"username":"mei","displayName":"Mei","online":true,"lastSeenAt":5,)"
                          R"("statusText":"","status":"available","avatarId":")") +
                   kPngSha + "\"}");
        QCOMPARE(r->avatarId, str(kPngSha));
    }
    // None: absent on the wire (a core-contract peer never sends it).
    GOLDEN(User, fromJson, toJson,
           R"({"id":3,"username":"mei","displayName":"Mei","online":true,"lastSeenAt":5,)"
           R"("statusText":"","status":"available"})");
    QVERIFY(r->avatarId.isEmpty());
}

void TestProtocolAvatars::normalized_data()
{
    normalizedColumns();
    row("set_avatar: mime absent is sniffed", "request:set_avatar",
        QByteArray(R"({"data":")") + kJpegBase64 + "\"}",
        QByteArray(R"({"data":")") + kJpegBase64 + R"(","mime":"image/jpeg"})");
    row("set_avatar: clear false with data", "request:set_avatar",
        QByteArray(R"({"clear":false,"data":")") + kPngBase64 + "\"}",
        QByteArray(R"({"data":")") + kPngBase64 + R"(","mime":"image/png"})");
    row("user: avatarId empty is none", "type:user",
        R"({"id":3,"username":"m","displayName":"M","online":false,"lastSeenAt":0,"avatarId":""})",
        R"({"id":3,"username":"m","displayName":"M","online":false,"lastSeenAt":0,"statusText":"",)"
        R"("status":"available"})");
}

void TestProtocolAvatars::badInput_data()
{
    badInputColumns();
    const QByteArray png(kPngBase64);
    bad("set_avatar: empty payload", "request:set_avatar", "{}", "data");
    bad("set_avatar: data number", "request:set_avatar", R"({"data":5})", "data");
    bad("set_avatar: data empty", "request:set_avatar", R"({"data":""})", "data");
    bad("set_avatar: not base64", "request:set_avatar", R"({"data":"iVBORw0KGgo*"})", "data");
    bad("set_avatar: url-safe base64", "request:set_avatar", R"({"data":"_9j_4AAQSkZJRg=="})", "data");
    bad("set_avatar: non-Latin-1", "request:set_avatar", R"({"data":"iVBORw0KGgo€"})", "data");
    bad("set_avatar: gif", "request:set_avatar", R"({"data":")" + b64("GIF89a....") + "\"}", "data");
    bad("set_avatar: svg", "request:set_avatar", R"({"data":")" + b64("<svg/>") + "\"}", "data");
    bad("set_avatar: decoded too large", "request:set_avatar",
        R"({"data":")" + pngOfSize(limits::kAvatarMaxBytes + 1) + "\"}", "data", ErrorCode::TooLarge);
    bad("set_avatar: text too long", "request:set_avatar",
        R"({"data":")" + repeated("A", limits::kAvatarBase64MaxLength + 4) + "\"}", "data",
        ErrorCode::TooLarge);
    bad("set_avatar: mime mismatch", "request:set_avatar", R"({"data":")" + png + R"(","mime":"image/jpeg"})",
        "mime");
    bad("set_avatar: mime unknown", "request:set_avatar", R"({"data":")" + png + R"(","mime":"image/gif"})",
        "mime");
    bad("set_avatar: mime number", "request:set_avatar", R"({"data":")" + png + R"(","mime":1})", "mime");
    bad("set_avatar: clear with data", "request:set_avatar", R"({"clear":true,"data":")" + png + "\"}",
        "clear");
    bad("set_avatar: clear string", "request:set_avatar", R"({"clear":"yes"})", "clear");
    bad("fetch_avatar: missing", "request:fetch_avatar", "{}", "avatarId");
    bad("fetch_avatar: upper case", "request:fetch_avatar",
        QByteArray(R"({"avatarId":")") + QByteArray(kPngSha).toUpper() + "\"}", "avatarId");
    bad("fetch_avatar: path", "request:fetch_avatar", R"({"avatarId":"../../etc/passwd"})", "avatarId");
    bad("avatar: hash mismatch", "reply:avatar",
        QByteArray(R"({"avatarId":")") + kPngSha + R"(","mime":"image/jpeg","data":")" + kJpegBase64 + "\"}",
        "avatarId");
    bad("avatar: mime mismatch", "reply:avatar",
        QByteArray(R"({"avatarId":")") + kPngSha + R"(","mime":"image/jpeg","data":")" + png + "\"}", "mime");
    bad("avatar: not an image", "reply:avatar",
        QByteArray(R"({"avatarId":")") + kPngSha + R"(","mime":"image/png","data":"AAAA"})", "data");
    bad("user: avatarId path", "type:user",
        R"({"id":3,"username":"m","displayName":"M","online":false,"lastSeenAt":0,"avatarId":"../x"})",
        "avatarId");
    bad("user: avatarId number", "type:user",
        R"({"id":3,"username":"m","displayName":"M","online":false,"lastSeenAt":0,"avatarId":7})",
        "avatarId");
}

QTEST_APPLESS_MAIN(TestProtocolAvatars)
#include "tst_protocol_avatars.moc"
