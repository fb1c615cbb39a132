// The envelope, error frames, error codes and ids (docs/protocol.md:
// Envelope, Ids, Errors): golden frames, and the malformed ones that must be
// bad_request with whatever id could be read.
#include "protocol_fixture.h"

class TestProtocolEnvelope : public QObject {
    Q_OBJECT

private slots:
    void errorCodeNames_data();
    void errorCodeNames();
    void parseId_data();
    void parseId();
    void envelopeRoundTrip_data();
    void envelopeRoundTrip();
    void envelopeErrors_data();
    void envelopeErrors();
    void errorEnvelope_data();
    void errorEnvelope();
    void errorPayloadErrors_data();
    void errorPayloadErrors();
};

void TestProtocolEnvelope::errorCodeNames_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("name");
    const std::pair<ErrorCode, const char*> codes[] = {
        {ErrorCode::BadRequest, "bad_request"},
        {ErrorCode::Unauthenticated, "unauthenticated"},
        {ErrorCode::InvalidCredentials, "invalid_credentials"},
        {ErrorCode::Conflict, "conflict"},
        {ErrorCode::Forbidden, "forbidden"},
        {ErrorCode::NotFound, "not_found"},
        {ErrorCode::TooLarge, "too_large"},
        {ErrorCode::RateLimited, "rate_limited"},
        {ErrorCode::Internal, "internal"},
        {ErrorCode::Unavailable, "unavailable"},
    };
    for (const auto& [code, name] : codes)
        QTest::newRow(name) << code << str(name);
}

void TestProtocolEnvelope::errorCodeNames()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, name);
    QCOMPARE(errorCodeName(code), name);
    QVERIFY(errorCodeFromName(name) == code);
    QVERIFY(!errorCodeFromName(name.toUpper()));
}

void TestProtocolEnvelope::parseId_data()
{
    QTest::addColumn<QJsonValue>("input");
    QTest::addColumn<bool>("wellTyped");
    QTest::addColumn<Id>("expected");
    QTest::newRow("number") << value("42") << true << Id(42);
    QTest::newRow("number 2^53") << value("9007199254740992") << true << Id(9007199254740992LL);
    QTest::newRow("number 2^53+1") << value("9007199254740993") << true << Id(0);
    QTest::newRow("number 1e3") << value("1e3") << true << Id(1000);
    QTest::newRow("numeric string") << value(R"("42")") << true << Id(42);
    QTest::newRow("leading zeros") << value(R"("007")") << true << Id(7);
    QTest::newRow("18 digits") << value(R"("123456789012345678")") << true << Id(123456789012345678LL);
    QTest::newRow("19 digits") << value(R"("1234567890123456789")") << true << Id(0);
    QTest::newRow("string zero") << value(R"("0")") << true << Id(0);
    QTest::newRow("abc") << value(R"("abc")") << true << Id(0);
    QTest::newRow("empty string") << value(R"("")") << true << Id(0);
    QTest::newRow("signed string") << value(R"("-3")") << true << Id(0);
    QTest::newRow("spaced string") << value(R"(" 1")") << true << Id(0);
    QTest::newRow("arabic-indic digits") << value(R"("١٢")") << true << Id(0);
    QTest::newRow("1.5") << value("1.5") << true << Id(0);
    QTest::newRow("-3") << value("-3") << true << Id(0);
    QTest::newRow("0") << value("0") << true << Id(0);
    QTest::newRow("null") << value("null") << false << Id(0);
    QTest::newRow("true") << value("true") << false << Id(0);
    QTest::newRow("object") << value(R"({"id":1})") << false << Id(0);
    QTest::newRow("array") << value("[1]") << false << Id(0);
    QTest::newRow("undefined") << QJsonValue(QJsonValue::Undefined) << false << Id(0);
}

void TestProtocolEnvelope::parseId()
{
    QFETCH(QJsonValue, input);
    QFETCH(bool, wellTyped);
    QFETCH(Id, expected);
    Id id = -1;
    QCOMPARE(confab::parseId(input, &id), wellTyped);
    if (wellTyped)
        QCOMPARE(id, expected);
    else
        QCOMPARE(id, Id(-1)); // untouched
}

void TestProtocolEnvelope::envelopeRoundTrip_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("type");
    QTest::addColumn<QJsonValue>("id");
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QByteArray>("serialized"); // as an object; null means same as frame
    QTest::newRow("string id") << QByteArray(R"({"type":"send_message","id":"c42","payload":{"a":[1,"x"]}})")
                               << str("send_message") << QJsonValue(str("c42"))
                               << QByteArray(R"({"a":[1,"x"]})") << QByteArray();
    QTest::newRow("number id") << QByteArray(R"({"type":"ping","id":7,"payload":{}})") << str("ping")
                               << QJsonValue(7) << QByteArray("{}") << QByteArray();
    QTest::newRow("no id") << QByteArray(R"({"type":"message","payload":{"k":null}})") << str("message")
                           << QJsonValue(QJsonValue::Undefined) << QByteArray(R"({"k":null})")
                           << QByteArray();
    QTest::newRow("null id is no id") << QByteArray(R"({"type":"ping","id":null,"payload":{}})")
                                      << str("ping") << QJsonValue(QJsonValue::Undefined) << QByteArray("{}")
                                      << QByteArray(R"({"type":"ping","payload":{}})");
    QTest::newRow("payload absent") << QByteArray(R"({"type":"list_rooms","id":"r"})") << str("list_rooms")
                                    << QJsonValue(str("r")) << QByteArray("{}")
                                    << QByteArray(R"({"type":"list_rooms","id":"r","payload":{}})");
    QTest::newRow("payload null") << QByteArray(R"({"type":"logout","payload":null})") << str("logout")
                                  << QJsonValue(QJsonValue::Undefined) << QByteArray("{}")
                                  << QByteArray(R"({"type":"logout","payload":{}})");
    QTest::newRow("unknown type kept")
        << QByteArray(R"({"type":"no_such_event","payload":{}})") << str("no_such_event")
        << QJsonValue(QJsonValue::Undefined) << QByteArray("{}") << QByteArray();
    QTest::newRow("extra keys dropped") << QByteArray(R"({"type":"ping","extra":1,"payload":{}})")
                                        << str("ping") << QJsonValue(QJsonValue::Undefined)
                                        << QByteArray("{}") << QByteArray(R"({"type":"ping","payload":{}})");
}

void TestProtocolEnvelope::envelopeRoundTrip()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, type);
    QFETCH(QJsonValue, id);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, serialized);
    QJsonValue idOut;
    const Result<Envelope> env = Envelope::parse(frame, &idOut);
    QVERIFY2(env.ok(), qPrintable(why(env)));
    QCOMPARE(env->type, type);
    QCOMPARE(env->id, id);
    QCOMPARE(idOut, id);
    QCOMPARE(env->payload, object(payload));
    QCOMPARE(object(env->serialize()), object(serialized.isNull() ? frame : serialized));
    QVERIFY(!env->serialize().contains('\n')); // compact: one frame, no pretty printing
}

void TestProtocolEnvelope::envelopeErrors_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QString>("message");
    QTest::addColumn<QJsonValue>("idOut");
    const QJsonValue none(QJsonValue::Undefined);
    QTest::newRow("not JSON") << QByteArray("{type:") << str("frame is not valid JSON") << none;
    QTest::newRow("empty frame") << QByteArray() << str("frame is not valid JSON") << none;
    QTest::newRow("array") << QByteArray(R"([{"type":"ping"}])") << str("frame must be a JSON object")
                           << none;
    QTest::newRow("string") << QByteArray(R"("ping")") << str("frame must be a JSON object") << none;
    QTest::newRow("number") << QByteArray("42") << str("frame must be a JSON object") << none;
    QTest::newRow("two values") << QByteArray("1,2") << str("frame is not valid JSON") << none;
    QTest::newRow("truncated") << QByteArray(R"({"type":"ping","payload":{})")
                               << str("frame is not valid JSON") << none;
    QTest::newRow("missing type") << QByteArray(R"({"id":"c1","payload":{}})") << str("type")
                                  << QJsonValue(str("c1"));
    QTest::newRow("numeric type") << QByteArray(R"({"type":3,"id":9})") << str("type") << QJsonValue(9);
    QTest::newRow("empty type") << QByteArray(R"({"type":""})") << str("type") << none;
    QTest::newRow("payload array") << QByteArray(R"({"type":"ping","id":"c2","payload":[]})")
                                   << str("payload must be an object") << QJsonValue(str("c2"));
    QTest::newRow("payload string") << QByteArray(R"({"type":"ping","payload":"x"})")
                                    << str("payload must be an object") << none;
    QTest::newRow("id object") << QByteArray(R"({"type":"ping","id":{"a":1}})") << str("id") << none;
    QTest::newRow("id bool") << QByteArray(R"({"type":"ping","id":true})") << str("id") << none;
}

void TestProtocolEnvelope::envelopeErrors()
{
    QFETCH(QByteArray, frame);
    QFETCH(QString, message);
    QFETCH(QJsonValue, idOut);
    QJsonValue id(str("stale"));
    const Result<Envelope> env = Envelope::parse(frame, &id);
    QVERIFY(!env.ok());
    QCOMPARE(errorCodeName(env.error().code), str("bad_request"));
    QVERIFY2(env.error().message.contains(message), qPrintable(env.error().message));
    QCOMPARE(id, idOut);
}

void TestProtocolEnvelope::errorEnvelope_data()
{
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("message");
    QTest::addColumn<qint64>("retryAfterMs");
    QTest::addColumn<QJsonValue>("id");
    QTest::addColumn<QByteArray>("frame");
    QTest::newRow("rate limited")
        << ErrorCode::RateLimited << str("slow down") << qint64(1500) << QJsonValue(str("c42"))
        << QByteArray(R"({"type":"error","id":"c42","payload":)"
                      R"({"code":"rate_limited","message":"slow down","retryAfterMs":1500}})");
    QTest::newRow("rate limited, no delay")
        << ErrorCode::RateLimited << str("x") << qint64(-1) << QJsonValue(3)
        << QByteArray(R"({"type":"error","id":3,"payload":)"
                      R"({"code":"rate_limited","message":"x"}})");
    QTest::newRow("unavailable with delay [ext]")
        << ErrorCode::Unavailable << str("database restarting") << qint64(250) << QJsonValue(7)
        << QByteArray(R"({"type":"error","id":7,"payload":)"
                      R"({"code":"unavailable","message":"database restarting","retryAfterMs":250}})");
    QTest::newRow("forbidden ignores delay")
        << ErrorCode::Forbidden << str("not a member of this room") << qint64(10) << QJsonValue(str("c1"))
        << QByteArray(
               R"({"type":"error","id":"c1","payload":{"code":"forbidden","message":"not a member of this room"}})");
    QTest::newRow("no id")
        << ErrorCode::BadRequest << str("frame is not valid JSON") << qint64(-1)
        << QJsonValue(QJsonValue::Undefined)
        << QByteArray(
               R"({"type":"error","payload":{"code":"bad_request","message":"frame is not valid JSON"}})");
}

void TestProtocolEnvelope::errorEnvelope()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, message);
    QFETCH(qint64, retryAfterMs);
    QFETCH(QJsonValue, id);
    QFETCH(QByteArray, frame);
    const Error error{code, message, retryAfterMs};
    const Envelope env = confab::errorEnvelope(error, id);
    QCOMPARE(env.type, QString(event::Error));
    QCOMPARE(object(env.serialize()), object(frame));

    const Result<Envelope> parsed = Envelope::parse(frame);
    QVERIFY(parsed.ok());
    QCOMPARE(parsed->id, id);
    const Result<Error> back = errorFromPayload(parsed->payload);
    QVERIFY2(back.ok(), qPrintable(why(back)));
    QCOMPARE(errorCodeName(back->code), errorCodeName(code));
    QCOMPARE(back->message, message);
    const bool carriesDelay = code == ErrorCode::RateLimited || code == ErrorCode::Unavailable;
    QCOMPARE(back->retryAfterMs, carriesDelay ? retryAfterMs : qint64(-1));
}

void TestProtocolEnvelope::errorPayloadErrors_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("code missing") << QByteArray(R"({"message":"m"})");
    QTest::newRow("code unknown") << QByteArray(R"({"code":"teapot","message":"m"})");
    QTest::newRow("code number") << QByteArray(R"({"code":3,"message":"m"})");
    QTest::newRow("message number") << QByteArray(R"({"code":"internal","message":3})");
    QTest::newRow("retryAfterMs string")
        << QByteArray(R"({"code":"rate_limited","message":"m","retryAfterMs":"1"})");
    QTest::newRow("retryAfterMs fraction")
        << QByteArray(R"({"code":"rate_limited","message":"m","retryAfterMs":1.5})");
}

void TestProtocolEnvelope::errorPayloadErrors()
{
    QFETCH(QByteArray, payload);
    const Result<Error> error = errorFromPayload(object(payload));
    QVERIFY(!error.ok());
    QCOMPARE(errorCodeName(error.error().code), str("bad_request"));
}

QTEST_APPLESS_MAIN(TestProtocolEnvelope)
#include "tst_protocol_envelope.moc"
