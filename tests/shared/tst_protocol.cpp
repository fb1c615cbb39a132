// The wire contract as value types: golden round-trips for every type, request
// and reply, and data-driven rows for the input the server must reject.

#include "protocol/envelope.h"
#include "protocol/error_code.h"
#include "protocol/event_names.h"
#include "protocol/ids.h"
#include "protocol/limits.h"
#include "protocol/replies.h"
#include "protocol/requests.h"
#include "protocol/types.h"
#include "protocol/validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <functional>

using namespace confab;

Q_DECLARE_METATYPE(confab::ErrorCode)

namespace {

// Golden literals, reused where a reply nests a type.
#define ALICE                                                                                                \
    R"({"id":7,"username":"alice","displayName":"Alice A.","online":true,"lastSeenAt":1700000000123})"
#define ZHANG R"({"id":8,"username":"张三","displayName":"三","online":false,"lastSeenAt":0})"
#define MSG_FULL                                                                                             \
    R"({"id":101,"roomId":5,"senderId":7,"content":"😀 @张三 hi",)"                                      \
    R"("mentions":[{"userId":8,"indexStart":3,"indexEnd":6}],"createdAt":1700000000456,"tempId":"t-1",)"     \
    R"("replyTo":99,"editedAt":1700000000999,"deleted":false})"
#define MSG_PLAIN                                                                                            \
    R"({"id":102,"roomId":5,"senderId":8,"content":"hello","mentions":[],"createdAt":1700000001000,)"        \
    R"("tempId":"t-2","replyTo":null,"editedAt":null,"deleted":true})"
#define ROOM_GROUP                                                                                           \
    R"({"id":5,"type":"group","name":"Team 团队","members":[)" ALICE "," ZHANG R"(],"unreadCount":3,)"       \
    R"("mentionCount":1,"lastMessage":)" MSG_FULL R"(,"ownerId":7,"createdAt":1690000000000})"
#define ROOM_DM                                                                                              \
    R"({"id":6,"type":"dm","name":"","members":[)" ALICE "," ZHANG R"(],"unreadCount":0,"mentionCount":0,)"  \
    R"("lastMessage":null,"ownerId":null,"createdAt":1690000000001})"

QString str(const char* utf8)
{
    return QString::fromUtf8(utf8);
}

QJsonObject object(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("bad test literal: %s", json.constData());
    return doc.object();
}

// A JSON value exactly as the parser produces it (integers stay exact).
QJsonValue value(const QByteArray& literal)
{
    return QJsonDocument::fromJson("[" + literal + "]").array().at(0);
}

template <typename T>
Result<QJsonObject> viaPayload(const QJsonObject& p)
{
    const Result<T> r = T::fromPayload(p);
    return r ? Result<QJsonObject>(r->toPayload()) : Result<QJsonObject>(r.error());
}

template <typename T>
Result<QJsonObject> viaJson(const QJsonObject& p)
{
    const Result<T> r = T::fromJson(p);
    return r ? Result<QJsonObject>(r->toJson()) : Result<QJsonObject>(r.error());
}

// Parses and re-serializes one payload; kind is "request:<type>", "reply:<type>" or "type:<name>".
Result<QJsonObject> reencode(const QString& kind, const QJsonObject& json)
{
    using Codec = std::function<Result<QJsonObject>(const QJsonObject&)>;
    static const QHash<QString, Codec> codecs{
        {QStringLiteral("request:register"), viaPayload<RegisterRequest>},
        {QStringLiteral("request:login"), viaPayload<LoginRequest>},
        {QStringLiteral("request:auth"), viaPayload<AuthRequest>},
        {QStringLiteral("request:create_room"), viaPayload<CreateRoomRequest>},
        {QStringLiteral("request:open_dm"), viaPayload<OpenDmRequest>},
        {QStringLiteral("request:join_room"), viaPayload<RoomRefRequest>},
        {QStringLiteral("request:send_message"), viaPayload<SendMessageRequest>},
        {QStringLiteral("request:fetch_messages"), viaPayload<FetchMessagesRequest>},
        {QStringLiteral("request:mark_read"), viaPayload<MarkReadRequest>},
        {QStringLiteral("request:list_mentions"), viaPayload<ListMentionsRequest>},
        {QStringLiteral("request:typing"), viaPayload<TypingRequest>},
        {QStringLiteral("request:search_users"), viaPayload<SearchUsersRequest>},
        {QStringLiteral("request:search_messages"), viaPayload<SearchMessagesRequest>},
        {QStringLiteral("reply:auth_ok"), viaPayload<AuthOk>},
        {QStringLiteral("reply:room"), viaPayload<RoomEvent>},
        {QStringLiteral("reply:rooms"), viaPayload<RoomsReply>},
        {QStringLiteral("reply:joined"), viaPayload<RoomIdPayload>},
        {QStringLiteral("reply:member_left"), viaPayload<MemberLeftEvent>},
        {QStringLiteral("reply:message_ack"), viaPayload<MessageAck>},
        {QStringLiteral("reply:message"), viaPayload<MessageEvent>},
        {QStringLiteral("reply:history"), viaPayload<HistoryReply>},
        {QStringLiteral("reply:read"), viaPayload<ReadEvent>},
        {QStringLiteral("reply:mention"), viaPayload<MentionEvent>},
        {QStringLiteral("reply:mentions"), viaPayload<MentionsReply>},
        {QStringLiteral("reply:presence"), viaPayload<PresenceEvent>},
        {QStringLiteral("reply:typing"), viaPayload<TypingEvent>},
        {QStringLiteral("reply:users"), viaPayload<UsersReply>},
        {QStringLiteral("reply:search_results"), viaPayload<SearchResultsReply>},
        {QStringLiteral("type:user"), viaJson<User>},
        {QStringLiteral("type:mention"), viaJson<Mention>},
        {QStringLiteral("type:message"), viaJson<Message>},
        {QStringLiteral("type:room"), viaJson<Room>},
    };
    const Codec codec = codecs.value(kind);
    return codec ? codec(json) : makeError(ErrorCode::Internal, QStringLiteral("no codec for ") + kind);
}

// The failure text for QVERIFY2, which evaluates its message even on success.
template <typename T>
QString why(const Result<T>& r)
{
    return r.ok() ? QString() : r.error().message;
}

QByteArray repeated(const char* text, int times)
{
    return QByteArray(text).repeated(times);
}

Message goldenMessage()
{
    return *Message::fromJson(object(MSG_FULL));
}
Message plainMessage()
{
    return *Message::fromJson(object(MSG_PLAIN));
}
User alice()
{
    return *User::fromJson(object(ALICE));
}
User zhang()
{
    return *User::fromJson(object(ZHANG));
}
Room groupRoom()
{
    return *Room::fromJson(object(ROOM_GROUP));
}

} // namespace

class TestProtocol : public QObject {
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

    void user();
    void mention();
    void message();
    void messageWithNulls();
    void room();
    void dmRoom();

    void registerRequest();
    void loginRequest();
    void authRequest();
    void createRoomRequest();
    void openDmRequest();
    void roomRefRequest();
    void sendMessageRequest();
    void fetchMessagesRequest();
    void markReadRequest();
    void listMentionsRequest();
    void typingRequest();
    void searchUsersRequest();
    void searchMessagesRequest();

    void authOk();
    void roomEvent();
    void roomsReply();
    void roomIdPayload();
    void memberLeftEvent();
    void messageAck();
    void messageEvent();
    void historyReply();
    void readEvent();
    void mentionEvent();
    void mentionsReply();
    void presenceEvent();
    void typingEvent();
    void usersReply();
    void searchResultsReply();

    void normalized_data();
    void normalized();
    void badInput_data();
    void badInput();
    void limitClamping_data();
    void limitClamping();
    void contentLimitIsConfigurable();

    void usernames_data();
    void usernames();
    void foldCase();
    void mentionSpans_data();
    void mentionSpans();
    void visibleContent_data();
    void visibleContent();

    // Names and identity (issue 12: impersonation).
    void usernameKeys();
    void displayNames_data();
    void displayNames();
};

// --- error codes and ids --------------------------------------------------

void TestProtocol::errorCodeNames_data()
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

void TestProtocol::errorCodeNames()
{
    QFETCH(ErrorCode, code);
    QFETCH(QString, name);
    QCOMPARE(errorCodeName(code), name);
    QVERIFY(errorCodeFromName(name) == code);
    QVERIFY(!errorCodeFromName(name.toUpper()));
}

void TestProtocol::parseId_data()
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

void TestProtocol::parseId()
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

// --- envelope -------------------------------------------------------------

void TestProtocol::envelopeRoundTrip_data()
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

void TestProtocol::envelopeRoundTrip()
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

void TestProtocol::envelopeErrors_data()
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

void TestProtocol::envelopeErrors()
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

void TestProtocol::errorEnvelope_data()
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

void TestProtocol::errorEnvelope()
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

void TestProtocol::errorPayloadErrors_data()
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

void TestProtocol::errorPayloadErrors()
{
    QFETCH(QByteArray, payload);
    const Result<Error> error = errorFromPayload(object(payload));
    QVERIFY(!error.ok());
    QCOMPARE(errorCodeName(error.error().code), str("bad_request"));
}

// --- value types: parse a literal, check every field, serialize back -------

#define GOLDEN(Type, parse, serialize, literal)                                                              \
    const QJsonObject golden = object(literal);                                                              \
    const Result<Type> r = Type::parse(golden);                                                              \
    QVERIFY2(r.ok(), qPrintable(why(r)));                                                                    \
    QCOMPARE(r->serialize(), golden)

void TestProtocol::user()
{
    GOLDEN(User, fromJson, toJson, ALICE);
    QCOMPARE(r->id, Id(7));
    QCOMPARE(r->username, str("alice"));
    QCOMPARE(r->displayName, str("Alice A."));
    QCOMPARE(r->online, true);
    QCOMPARE(r->lastSeenAt, qint64(1700000000123));
}

void TestProtocol::mention()
{
    GOLDEN(Mention, fromJson, toJson, R"({"userId":8,"indexStart":3,"indexEnd":6})");
    QCOMPARE(r->userId, Id(8));
    QCOMPARE(r->indexStart, 3);
    QCOMPARE(r->indexEnd, 6);
}

void TestProtocol::message()
{
    GOLDEN(Message, fromJson, toJson, MSG_FULL);
    QCOMPARE(r->id, Id(101));
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->senderId, Id(7));
    QCOMPARE(r->content, str("😀 @张三 hi"));
    QCOMPARE(r->mentions.size(), 1);
    QVERIFY(r->mentions.first() == (Mention{8, 3, 6}));
    QVERIFY(validation::mentionSpanMatches(r->content, r->mentions.first(), str("张三")));
    QCOMPARE(r->createdAt, qint64(1700000000456));
    QCOMPARE(r->tempId, str("t-1"));
    QCOMPARE(r->replyTo.value_or(-1), Id(99));
    QCOMPARE(r->editedAt.value_or(-1), qint64(1700000000999));
    QCOMPARE(r->deleted, false);
}

void TestProtocol::messageWithNulls()
{
    GOLDEN(Message, fromJson, toJson, MSG_PLAIN);
    QCOMPARE(r->id, Id(102));
    QCOMPARE(r->senderId, Id(8));
    QCOMPARE(r->content, str("hello"));
    QVERIFY(r->mentions.isEmpty());
    QCOMPARE(r->tempId, str("t-2"));
    QVERIFY(!r->replyTo);
    QVERIFY(!r->editedAt);
    QCOMPARE(r->deleted, true);
}

void TestProtocol::room()
{
    GOLDEN(Room, fromJson, toJson, ROOM_GROUP);
    QCOMPARE(r->id, Id(5));
    QVERIFY(r->type == RoomType::Group);
    QCOMPARE(r->name, str("Team 团队"));
    QCOMPARE(r->members, (QList<User>{alice(), zhang()}));
    QCOMPARE(r->members.at(1).username, str("张三"));
    QCOMPARE(r->unreadCount, 3);
    QCOMPARE(r->mentionCount, 1);
    QVERIFY(r->lastMessage == goldenMessage());
    QCOMPARE(r->ownerId, Id(7));
    QCOMPARE(r->createdAt, qint64(1690000000000));
}

void TestProtocol::dmRoom()
{
    GOLDEN(Room, fromJson, toJson, ROOM_DM);
    QCOMPARE(r->id, Id(6));
    QVERIFY(r->type == RoomType::Dm);
    QCOMPARE(roomTypeName(r->type), str("dm"));
    QCOMPARE(r->name, QString());
    QCOMPARE(r->members.size(), 2);
    QCOMPARE(r->unreadCount, 0);
    QCOMPARE(r->mentionCount, 0);
    QVERIFY(!r->lastMessage);
    QCOMPARE(r->ownerId, Id(0));
    QCOMPARE(r->createdAt, qint64(1690000000001));
}

// --- requests -------------------------------------------------------------

void TestProtocol::registerRequest()
{
    GOLDEN(RegisterRequest, fromPayload, toPayload,
           R"({"username":"张三","password":"p å","displayName":"San Z"})");
    QCOMPARE(r->username, str("张三"));
    QCOMPARE(r->password, str("p å"));
    QCOMPARE(r->displayName, str("San Z"));
}

void TestProtocol::loginRequest()
{
    GOLDEN(LoginRequest, fromPayload, toPayload, R"({"username":"not a valid name","password":""})");
    QCOMPARE(r->username, str("not a valid name")); // not format-checked: just invalid_credentials later
    QCOMPARE(r->password, QString());
}

void TestProtocol::authRequest()
{
    GOLDEN(AuthRequest, fromPayload, toPayload, R"({"token":"abc.DEF-123"})");
    QCOMPARE(r->token, str("abc.DEF-123"));
}

void TestProtocol::createRoomRequest()
{
    GOLDEN(CreateRoomRequest, fromPayload, toPayload, R"({"name":"Team 团队","memberIds":[8,9]})");
    QCOMPARE(r->name, str("Team 团队"));
    QCOMPARE(r->memberIds, (QList<Id>{8, 9}));
}

void TestProtocol::openDmRequest()
{
    GOLDEN(OpenDmRequest, fromPayload, toPayload, R"({"userId":8})");
    QCOMPARE(r->userId, Id(8));
}

void TestProtocol::roomRefRequest()
{
    GOLDEN(RoomRefRequest, fromPayload, toPayload, R"({"roomId":5})");
    QCOMPARE(r->roomId, Id(5));
}

void TestProtocol::sendMessageRequest()
{
    GOLDEN(SendMessageRequest, fromPayload, toPayload,
           R"({"roomId":5,"content":"😀 @bob hi","tempId":"t-1",)"
           R"("mentions":[{"userId":8,"indexStart":3,"indexEnd":7}],"replyTo":99})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->content, str("😀 @bob hi"));
    QCOMPARE(r->tempId, str("t-1"));
    QCOMPARE(r->mentions, (QList<Mention>{Mention{8, 3, 7}}));
    QCOMPARE(r->replyTo.value_or(-1), Id(99));
}

void TestProtocol::fetchMessagesRequest()
{
    GOLDEN(FetchMessagesRequest, fromPayload, toPayload, R"({"roomId":5,"beforeId":120,"limit":30})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->beforeId.value_or(-1), Id(120));
    QVERIFY(!r->afterId);
    QCOMPARE(r->limit, 30);
}

void TestProtocol::markReadRequest()
{
    GOLDEN(MarkReadRequest, fromPayload, toPayload, R"({"roomId":5,"messageId":101})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messageId, Id(101));
}

void TestProtocol::listMentionsRequest()
{
    GOLDEN(ListMentionsRequest, fromPayload, toPayload, R"({"beforeId":77,"limit":10})");
    QCOMPARE(r->beforeId.value_or(-1), Id(77));
    QCOMPARE(r->limit, 10);
}

void TestProtocol::typingRequest()
{
    GOLDEN(TypingRequest, fromPayload, toPayload, R"({"roomId":5,"isTyping":true})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->isTyping, true);
}

void TestProtocol::searchUsersRequest()
{
    GOLDEN(SearchUsersRequest, fromPayload, toPayload, R"({"query":"张","roomId":5,"limit":20})");
    QCOMPARE(r->query, str("张"));
    QCOMPARE(r->roomId.value_or(-1), Id(5));
    QCOMPARE(r->limit, 20);
}

void TestProtocol::searchMessagesRequest()
{
    GOLDEN(SearchMessagesRequest, fromPayload, toPayload,
           R"({"query":"早","roomId":5,"beforeId":300,"limit":40})");
    QCOMPARE(r->query, str("早"));
    QCOMPARE(r->roomId.value_or(-1), Id(5));
    QCOMPARE(r->beforeId.value_or(-1), Id(300));
    QCOMPARE(r->limit, 40);
}

// --- replies and pushed events --------------------------------------------

void TestProtocol::authOk()
{
    GOLDEN(AuthOk, fromPayload, toPayload, R"({"token":"tok","user":)" ALICE "}");
    QCOMPARE(r->token, str("tok"));
    QCOMPARE(r->user, alice());
}

void TestProtocol::roomEvent()
{
    GOLDEN(RoomEvent, fromPayload, toPayload, R"({"room":)" ROOM_GROUP "}");
    QCOMPARE(r->room, groupRoom());
}

void TestProtocol::roomsReply()
{
    GOLDEN(RoomsReply, fromPayload, toPayload, R"({"rooms":[)" ROOM_GROUP "," ROOM_DM "]}");
    QCOMPARE(r->rooms.size(), 2);
    QCOMPARE(r->rooms.at(0), groupRoom());
    QCOMPARE(r->rooms.at(1).id, Id(6));
}

void TestProtocol::roomIdPayload()
{
    GOLDEN(RoomIdPayload, fromPayload, toPayload, R"({"roomId":5})");
    QCOMPARE(r->roomId, Id(5));
}

void TestProtocol::memberLeftEvent()
{
    GOLDEN(MemberLeftEvent, fromPayload, toPayload, R"({"roomId":5,"userId":2})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->userId, Id(2));
}

void TestProtocol::messageAck()
{
    GOLDEN(MessageAck, fromPayload, toPayload,
           R"({"tempId":"t-1","messageId":101,"createdAt":1700000000456})");
    QCOMPARE(r->tempId, str("t-1"));
    QCOMPARE(r->messageId, Id(101));
    QCOMPARE(r->createdAt, qint64(1700000000456));
}

void TestProtocol::messageEvent()
{
    GOLDEN(MessageEvent, fromPayload, toPayload, R"({"message":)" MSG_FULL "}");
    QCOMPARE(r->message, goldenMessage());
}

void TestProtocol::historyReply()
{
    GOLDEN(HistoryReply, fromPayload, toPayload,
           R"({"roomId":5,"messages":[)" MSG_FULL "," MSG_PLAIN R"(],"hasMore":true})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messages, (QList<Message>{goldenMessage(), plainMessage()}));
    QCOMPARE(r->hasMore, true);
}

void TestProtocol::readEvent()
{
    GOLDEN(ReadEvent, fromPayload, toPayload, R"({"roomId":5,"messageId":101})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messageId, Id(101));
}

void TestProtocol::mentionEvent()
{
    GOLDEN(MentionEvent, fromPayload, toPayload,
           R"({"roomId":5,"messageId":101,"fromUserId":7,"content":"你好@张三，早"})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->messageId, Id(101));
    QCOMPARE(r->fromUserId, Id(7));
    QCOMPARE(r->content, str("你好@张三，早"));
}

void TestProtocol::mentionsReply()
{
    GOLDEN(MentionsReply, fromPayload, toPayload, R"({"items":[)" MSG_FULL R"(],"hasMore":false})");
    QCOMPARE(r->items, QList<Message>{goldenMessage()});
    QCOMPARE(r->hasMore, false);
}

void TestProtocol::presenceEvent()
{
    GOLDEN(PresenceEvent, fromPayload, toPayload,
           R"({"userId":8,"online":false,"lastSeenAt":1700000002000})");
    QCOMPARE(r->userId, Id(8));
    QCOMPARE(r->online, false);
    QCOMPARE(r->lastSeenAt, qint64(1700000002000));
}

void TestProtocol::typingEvent()
{
    GOLDEN(TypingEvent, fromPayload, toPayload, R"({"roomId":5,"userId":8,"isTyping":false})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->userId, Id(8));
    QCOMPARE(r->isTyping, false);
}

void TestProtocol::usersReply()
{
    GOLDEN(UsersReply, fromPayload, toPayload, R"({"users":[)" ALICE "," ZHANG "]}");
    QCOMPARE(r->users, (QList<User>{alice(), zhang()}));
}

void TestProtocol::searchResultsReply()
{
    GOLDEN(SearchResultsReply, fromPayload, toPayload,
           R"({"messages":[)" MSG_PLAIN "," MSG_FULL R"(],"hasMore":true,"nextBeforeId":101})");
    QCOMPARE(r->messages, (QList<Message>{plainMessage(), goldenMessage()}));
    QCOMPARE(r->hasMore, true);
    QCOMPARE(r->nextBeforeId.value_or(-1), Id(101));
}

// --- accepted input that is normalized ------------------------------------

void TestProtocol::normalized_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("output");
    const auto row = [](const char* name, const char* kind, const QByteArray& in, const QByteArray& out) {
        QTest::newRow(name) << str(kind) << in << out;
    };
    row("register: displayName defaults", "request:register", R"({"username":"bob","password":"x"})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName null", "request:register",
        R"({"username":"bob","password":"x","displayName":null})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName blank", "request:register",
        R"({"username":"bob","password":"x","displayName":"  "})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName trimmed", "request:register",
        R"({"username":"bob","password":"x","displayName":" Bob B \n"})",
        R"({"username":"bob","password":"x","displayName":"Bob B"})");
    row("register: 64-char displayName", "request:register",
        R"({"username":"b","password":"x","displayName":")" + repeated("é", 64) + R"("})",
        R"({"username":"b","password":"x","displayName":")" + repeated("é", 64) + R"("})");
    row("register: 1024-byte password", "request:register",
        R"({"username":"b","password":")" + repeated("é", 512) + R"("})",
        R"({"username":"b","password":")" + repeated("é", 512) + R"(","displayName":"b"})");
    // Issue 12: the username as stored is NFC (so is the display name).
    row("register: username to NFC", "request:register", R"({"username":"e\u0301mile","password":"x"})",
        R"({"username":"\u00e9mile","password":"x","displayName":"\u00e9mile"})");
    row("register: displayName to NFC", "request:register",
        R"({"username":"zoe","password":"x","displayName":"Zoe\u0308"})",
        R"({"username":"zoe","password":"x","displayName":"Zo\u00eb"})");
    row("register: displayName with ZWNJ and a ZWJ emoji", "request:register",
        R"({"username":"f","password":"x","displayName":"\u0645\u06cc\u200c\u062e \ud83d\udc68\u200d\ud83d\udc69"})",
        R"({"username":"f","password":"x","displayName":"\u0645\u06cc\u200c\u062e \ud83d\udc68\u200d\ud83d\udc69"})");
    row("login: 1024-byte password", "request:login",
        R"({"username":"b","password":")" + repeated("é", 512) + R"("})",
        R"({"username":"b","password":")" + repeated("é", 512) + R"("})");
    row("register: invite trimmed [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":" abc-DEF_1 "})",
        R"({"username":"bob","password":"x","displayName":"bob","invite":"abc-DEF_1"})");
    row("register: invite null [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":null})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("create_room: trimmed, deduplicated", "request:create_room",
        R"({"name":"  Team  ","memberIds":[3,"4",3,4,"abc",0,"9"]})",
        R"({"name":"Team","memberIds":[3,4,0,9]})");
    row("create_room: memberIds absent", "request:create_room", R"({"name":"T"})",
        R"({"name":"T","memberIds":[]})");
    row("create_room: memberIds null", "request:create_room", R"({"name":"T","memberIds":null})",
        R"({"name":"T","memberIds":[]})");
    row("open_dm: string id", "request:open_dm", R"({"userId":"12"})", R"({"userId":12})");
    row("open_dm: unknown id is 0", "request:open_dm", R"({"userId":"u-12"})", R"({"userId":0})");
    row("join_room: fractional id is 0", "request:join_room", R"({"roomId":2.5})", R"({"roomId":0})");
    row("send_message: nulls", "request:send_message",
        R"({"roomId":"5","content":" hi ","tempId":"t","mentions":null,"replyTo":null})",
        R"({"roomId":5,"content":" hi ","tempId":"t"})");
    row("send_message: empty mentions", "request:send_message",
        R"({"roomId":5,"content":"x","tempId":"t","mentions":[]})",
        R"({"roomId":5,"content":"x","tempId":"t"})");
    row("send_message: wrong span kept", "request:send_message",
        R"({"roomId":5,"content":"x","tempId":"t","mentions":[{"userId":"8","indexStart":-4,"indexEnd":900}]})",
        R"({"roomId":5,"content":"x","tempId":"t","mentions":[{"userId":8,"indexStart":-4,"indexEnd":900}]})");
    row("send_message: 16000 chars", "request:send_message",
        R"({"roomId":5,"tempId":"t","content":")" + repeated("早", 16000) + R"("})",
        R"({"roomId":5,"tempId":"t","content":")" + repeated("早", 16000) + R"("})");
    row("send_message: 128-char tempId", "request:send_message",
        R"({"roomId":5,"content":"x","tempId":")" + repeated("t", 128) + R"("})",
        R"({"roomId":5,"content":"x","tempId":")" + repeated("t", 128) + R"("})");
    row("fetch_messages: defaults", "request:fetch_messages", R"({"roomId":5})",
        R"({"roomId":5,"limit":50})");
    row("fetch_messages: null paging", "request:fetch_messages",
        R"({"roomId":5,"beforeId":null,"afterId":8,"limit":null})", R"({"roomId":5,"afterId":8,"limit":50})");
    row("list_mentions: defaults", "request:list_mentions", "{}", R"({"limit":50})");
    row("search_users: empty query", "request:search_users", R"({"query":""})", R"({"query":"","limit":20})");
    row("search_users: trimmed", "request:search_users", R"({"query":"  ali ","roomId":null})",
        R"({"query":"ali","limit":20})");
    row("search_messages: defaults", "request:search_messages", R"({"query":" 早 "})",
        R"({"query":"早","limit":20})");
    row("mentions: hasMore absent", "reply:mentions", R"({"items":[]})", R"({"items":[],"hasMore":false})");
    row("room: extensions absent", "type:room",
        R"({"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0})",
        R"({"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0,)"
        R"("lastMessage":null,"ownerId":null,"createdAt":0})");
    row("message: nullable fields absent", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t","deleted":false})",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("replyTo":null,"editedAt":null,"deleted":false})");
    row("search_results: no nextBeforeId", "reply:search_results",
        R"({"messages":[],"hasMore":false,"nextBeforeId":null})", R"({"messages":[],"hasMore":false})");
}

void TestProtocol::normalized()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, output);
    const Result<QJsonObject> r = reencode(kind, object(input));
    QVERIFY2(r.ok(), qPrintable(why(r)));
    QCOMPARE(*r, object(output));
}

// --- rejected input -------------------------------------------------------

void TestProtocol::badInput_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("field"); // the message must name it
    const auto bad = [](const char* name, const char* kind, const QByteArray& in, const char* field,
                        ErrorCode code = ErrorCode::BadRequest) {
        QTest::newRow(name) << str(kind) << in << code << str(field);
    };
    const QByteArray send = R"({"roomId":5,"tempId":"t","content":"hi",)";
    const auto mentions = [&send](const QByteArray& list) { return send + R"("mentions":)" + list + "}"; };

    bad("register: username missing", "request:register", R"({"password":"x"})", "username");
    bad("register: username number", "request:register", R"({"username":1,"password":"x"})", "username");
    bad("register: username space", "request:register", R"({"username":"a b","password":"x"})", "username");
    bad("register: username 33", "request:register",
        R"({"username":")" + repeated("a", 33) + R"(","password":"x"})", "username");
    bad("register: password missing", "request:register", R"({"username":"bob"})", "password");
    bad("register: password empty", "request:register", R"({"username":"bob","password":""})", "password");
    bad("register: password 1026 bytes", "request:register",
        R"({"username":"bob","password":")" + repeated("é", 513) + R"("})", "password");
    bad("register: displayName number", "request:register",
        R"({"username":"bob","password":"x","displayName":1})", "displayName");
    bad("register: invite number [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":7})", "invite");
    bad("register: invite 129 [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":")" + repeated("a", 129) + R"("})", "invite");
    bad("register: displayName 65", "request:register",
        R"({"username":"bob","password":"x","displayName":")" + repeated("z", 65) + R"("})", "displayName");
    // Issue 12: what could impersonate someone, and work done before a hash.
    bad("register: displayName RLO", "request:register",
        R"({"username":"bob","password":"x","displayName":"\u202Egnp.exe"})", "displayName");
    bad("register: displayName LRI", "request:register",
        R"({"username":"bob","password":"x","displayName":"a\u2066b"})", "displayName");
    bad("register: displayName RLM", "request:register",
        R"({"username":"bob","password":"x","displayName":"bob\u200F"})", "displayName");
    bad("register: displayName BEL", "request:register",
        R"({"username":"bob","password":"x","displayName":"b\u0007ob"})", "displayName");
    bad("register: displayName inner newline", "request:register",
        R"({"username":"bob","password":"x","displayName":"Bob\nAdmin"})", "displayName");
    bad("register: displayName C1 NEL", "request:register",
        R"({"username":"bob","password":"x","displayName":"Bo\u0085b"})", "displayName");
    bad("register: displayName zero width space", "request:register",
        R"({"username":"bob","password":"x","displayName":"B\u200Bob"})", "displayName");
    bad("register: displayName Hangul filler", "request:register",
        R"({"username":"bob","password":"x","displayName":"\u3164"})", "displayName");
    bad("register: displayName lone surrogate", "request:register",
        R"({"username":"bob","password":"x","displayName":"a\ud800b"})", "displayName");
    bad("login: password 1026 bytes", "request:login",
        R"({"username":"bob","password":")" + repeated("é", 513) + R"("})", "password");
    bad("login: password missing", "request:login", R"({"username":"bob"})", "password");
    bad("login: username array", "request:login", R"({"username":[],"password":"x"})", "username");
    bad("auth: token missing", "request:auth", "{}", "token");
    bad("auth: token empty", "request:auth", R"({"token":""})", "token");
    bad("auth: token number", "request:auth", R"({"token":12})", "token");
    bad("auth: token 257", "request:auth", R"({"token":")" + repeated("t", 257) + R"("})", "token");
    bad("create_room: name missing", "request:create_room", R"({"memberIds":[]})", "name");
    bad("create_room: name blank", "request:create_room", R"({"name":"   "})", "name");
    bad("create_room: name 101", "request:create_room", R"({"name":")" + repeated("n", 101) + R"("})",
        "name");
    bad("create_room: memberIds object", "request:create_room", R"({"name":"T","memberIds":{}})",
        "memberIds");
    bad("create_room: member bool", "request:create_room", R"({"name":"T","memberIds":[1,true]})",
        "memberIds[1]");
    bad("create_room: member null", "request:create_room", R"({"name":"T","memberIds":[null]})",
        "memberIds[0]");
    bad("create_room: 5001 members", "request:create_room",
        R"({"name":"T","memberIds":[)" + repeated("1,", 5000) + R"(1]})", "memberIds");
    bad("open_dm: userId missing", "request:open_dm", "{}", "userId");
    bad("open_dm: userId bool", "request:open_dm", R"({"userId":false})", "userId");
    bad("join_room: roomId object", "request:join_room", R"({"roomId":{}})", "roomId");
    bad("send: roomId missing", "request:send_message", R"({"content":"hi","tempId":"t"})", "roomId");
    bad("send: roomId null", "request:send_message", R"({"roomId":null,"content":"hi","tempId":"t"})",
        "roomId");
    bad("send: content missing", "request:send_message", R"({"roomId":5,"tempId":"t"})", "content");
    bad("send: content number", "request:send_message", R"({"roomId":5,"content":5,"tempId":"t"})",
        "content");
    bad("send: content empty", "request:send_message", R"({"roomId":5,"content":"","tempId":"t"})",
        "content");
    bad("send: content whitespace", "request:send_message",
        R"({"roomId":5,"content":" \n\t\u3000 ","tempId":"t"})", "content");
    bad("send: content zero-width", "request:send_message",
        R"({"roomId":5,"content":"\u200b\u2060\ufeff","tempId":"t"})", "content");
    bad("send: content 16001", "request:send_message",
        R"({"roomId":5,"tempId":"t","content":")" + repeated("x", 16001) + R"("})", "content",
        ErrorCode::TooLarge);
    bad("send: content 8001 emoji", "request:send_message",
        R"({"roomId":5,"tempId":"t","content":")" + repeated("😀", 8001) + R"("})", "content",
        ErrorCode::TooLarge);
    bad("send: tempId missing", "request:send_message", R"({"roomId":5,"content":"hi"})", "tempId");
    bad("send: tempId empty", "request:send_message", R"({"roomId":5,"content":"hi","tempId":""})", "tempId");
    bad("send: tempId number", "request:send_message", R"({"roomId":5,"content":"hi","tempId":1})", "tempId");
    bad("send: tempId 129", "request:send_message",
        R"({"roomId":5,"content":"hi","tempId":")" + repeated("t", 129) + R"("})", "tempId");
    bad("send: mentions object", "request:send_message", mentions("{}"), "mentions");
    bad("send: mention string", "request:send_message", mentions(R"(["@bob"])"), "mentions[0]");
    bad("send: mention userId missing", "request:send_message",
        mentions(R"([{"indexStart":0,"indexEnd":4}])"), "mentions[0].userId");
    bad("send: mention indexStart string", "request:send_message",
        mentions(R"([{"userId":8,"indexStart":"0","indexEnd":4}])"), "mentions[0].indexStart");
    bad("send: mention indexEnd fraction", "request:send_message",
        mentions(R"([{"userId":8,"indexStart":0,"indexEnd":4},{"userId":8,"indexStart":0,"indexEnd":4.5}])"),
        "mentions[1].indexEnd");
    bad("send: mention index beyond int", "request:send_message",
        mentions(R"([{"userId":8,"indexStart":0,"indexEnd":4294967296}])"), "mentions[0].indexEnd");
    bad("send: 101 mentions", "request:send_message",
        mentions("[" + repeated(R"({"userId":8,"indexStart":0,"indexEnd":4},)", 100) +
                 R"({"userId":8,"indexStart":0,"indexEnd":4}])"),
        "mentions");
    bad("send: replyTo bool", "request:send_message", send + R"("replyTo":true})", "replyTo");
    bad("fetch: roomId missing", "request:fetch_messages", R"({"limit":5})", "roomId");
    bad("fetch: before and after", "request:fetch_messages", R"({"roomId":5,"beforeId":9,"afterId":3})",
        "beforeId and afterId");
    bad("fetch: beforeId bool", "request:fetch_messages", R"({"roomId":5,"beforeId":true})", "beforeId");
    bad("fetch: limit string", "request:fetch_messages", R"({"roomId":5,"limit":"10"})", "limit");
    bad("fetch: limit bool", "request:fetch_messages", R"({"roomId":5,"limit":true})", "limit");
    bad("fetch: limit object", "request:fetch_messages", R"({"roomId":5,"limit":{}})", "limit");
    bad("mark_read: messageId missing", "request:mark_read", R"({"roomId":5})", "messageId");
    bad("list_mentions: limit string", "request:list_mentions", R"({"limit":"5"})", "limit");
    bad("list_mentions: beforeId array", "request:list_mentions", R"({"beforeId":[1]})", "beforeId");
    bad("typing: isTyping missing", "request:typing", R"({"roomId":5})", "isTyping");
    bad("typing: isTyping string", "request:typing", R"({"roomId":5,"isTyping":"yes"})", "isTyping");
    bad("typing: isTyping number", "request:typing", R"({"roomId":5,"isTyping":1})", "isTyping");
    bad("search_users: query missing", "request:search_users", "{}", "query");
    bad("search_users: query number", "request:search_users", R"({"query":3})", "query");
    bad("search_users: query 201", "request:search_users", R"({"query":")" + repeated("q", 201) + R"("})",
        "query");
    bad("search_users: roomId bool", "request:search_users", R"({"query":"a","roomId":true})", "roomId");
    bad("search_users: limit string", "request:search_users", R"({"query":"a","limit":"3"})", "limit");
    bad("search_messages: query empty", "request:search_messages", R"({"query":""})", "query");
    bad("search_messages: query blank", "request:search_messages", R"({"query":"  "})", "query");
    bad("search_messages: query 201", "request:search_messages",
        R"({"query":")" + repeated("q", 201) + R"("})", "query");
    bad("search_messages: limit array", "request:search_messages", R"({"query":"a","limit":[]})", "limit");
    bad("search_messages: beforeId object", "request:search_messages", R"({"query":"a","beforeId":{}})",
        "beforeId");

    bad("user: online missing", "type:user", R"({"id":1,"username":"a","displayName":"a","lastSeenAt":0})",
        "online");
    bad("user: lastSeenAt fraction", "type:user",
        R"({"id":1,"username":"a","displayName":"a","online":true,"lastSeenAt":0.5})", "lastSeenAt");
    bad("message: deleted missing", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t"})",
        "deleted");
    bad("message: editedAt string", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"c","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("editedAt":"now","deleted":false})",
        "editedAt");
    bad("room: type channel", "type:room",
        R"({"id":6,"type":"channel","name":"","members":[],"unreadCount":0,"mentionCount":0})", "type");
    bad("room: ownerId bool", "type:room",
        R"({"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0,"ownerId":true})",
        "ownerId");
    bad("room: member id", "type:room",
        R"({"id":6,"type":"dm","name":"","members":[{"id":true}],"unreadCount":0,"mentionCount":0})",
        "members[0].id");
    bad("auth_ok: token missing", "reply:auth_ok", R"({"user":)" ALICE "}", "token");
    bad("auth_ok: user id bool", "reply:auth_ok", R"({"token":"t","user":{"id":false}})", "user.id");
    bad("room: lastMessage number", "reply:room",
        R"({"room":{"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0,"lastMessage":1}})",
        "room.lastMessage");
    bad("rooms: not an array", "reply:rooms", R"({"rooms":{}})", "rooms");
    bad("joined: roomId missing", "reply:joined", "{}", "roomId");
    bad("member_left: userId ill-typed", "reply:member_left", R"({"roomId":1,"userId":true})", "userId");
    bad("message_ack: createdAt fraction", "reply:message_ack",
        R"({"tempId":"t","messageId":1,"createdAt":1.5})", "createdAt");
    bad("message: missing", "reply:message", "{}", "message");
    bad("history: hasMore string", "reply:history", R"({"roomId":5,"messages":[],"hasMore":"yes"})",
        "hasMore");
    bad("read: messageId null", "reply:read", R"({"roomId":5,"messageId":null})", "messageId");
    bad("mention: content missing", "reply:mention", R"({"roomId":5,"messageId":1,"fromUserId":7})",
        "content");
    bad("mentions: hasMore number", "reply:mentions", R"({"items":[],"hasMore":1})", "hasMore");
    bad("presence: online missing", "reply:presence", R"({"userId":8,"lastSeenAt":0})", "online");
    bad("typing: userId null", "reply:typing", R"({"roomId":5,"userId":null,"isTyping":true})", "userId");
    bad("users: element string", "reply:users", R"({"users":["alice"]})", "users[0]");
    bad("search_results: nextBeforeId bool", "reply:search_results",
        R"({"messages":[],"hasMore":true,"nextBeforeId":true})", "nextBeforeId");
}

void TestProtocol::badInput()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, input);
    QFETCH(ErrorCode, code);
    QFETCH(QString, field);
    const QJsonObject json = object(input);
    QVERIFY(!json.isEmpty() || input == "{}");
    const Result<QJsonObject> r = reencode(kind, json);
    QVERIFY2(!r.ok(), "accepted");
    QCOMPARE(errorCodeName(r.error().code), errorCodeName(code));
    QVERIFY2(r.error().message.startsWith(field), qPrintable(r.error().message));
}

void TestProtocol::limitClamping_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("payload"); // the "limit" member is appended
    QTest::addColumn<QByteArray>("limit");
    QTest::addColumn<int>("expected"); // -1: bad_request
    const std::tuple<const char*, const char*, int> kinds[] = {
        {"request:fetch_messages", R"({"roomId":5,)", limits::kHistoryMaxLimit},
        {"request:list_mentions", "{", limits::kHistoryMaxLimit},
        {"request:search_users", R"({"query":"",)", limits::kUsersMaxLimit},
        {"request:search_messages", R"({"query":"x",)", limits::kSearchMaxLimit},
    };
    for (const auto& [kind, payload, max] : kinds) {
        const auto row = [&](const char* limit, int expected) {
            QTest::addRow("%s limit %s", kind + 8, limit)
                << str(kind) << QByteArray(payload) << QByteArray(limit) << expected;
        };
        row("0", 1);
        row("-5", 1);
        row("0.5", 1);
        row("1", 1);
        row("7.9", 7);
        row("1000", max);
        row("1e300", max);
        row("-1e300", 1);
        row("\"10\"", -1);
        row("true", -1);
        row("[]", -1);
    }
}

void TestProtocol::limitClamping()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, payload);
    QFETCH(QByteArray, limit);
    QFETCH(int, expected);
    const Result<QJsonObject> r = reencode(kind, object(payload + R"("limit":)" + limit + "}"));
    if (expected < 0) {
        QVERIFY(!r.ok());
        QCOMPARE(errorCodeName(r.error().code), str("bad_request"));
        QVERIFY(r.error().message.startsWith(str("limit")));
    } else {
        QVERIFY2(r.ok(), qPrintable(why(r)));
        QCOMPARE(r->value(QLatin1String("limit")), QJsonValue(expected));
    }
}

void TestProtocol::contentLimitIsConfigurable()
{
    const QJsonObject p = object(R"({"roomId":5,"content":"ab😀","tempId":"t"})"); // 4 UTF-16 units
    QVERIFY(SendMessageRequest::fromPayload(p, 4).ok());
    const Result<SendMessageRequest> r = SendMessageRequest::fromPayload(p, 3);
    QVERIFY(!r.ok());
    QCOMPARE(errorCodeName(r.error().code), str("too_large"));
    QCOMPARE(r.error().message, str("content is longer than 3 characters"));
}

// --- validation -----------------------------------------------------------

void TestProtocol::usernames_data()
{
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("valid");
    QTest::newRow("alice") << str("alice") << true;
    QTest::newRow("Bob_1") << str("Bob_1") << true;
    QTest::newRow("a.b-c") << str("a.b-c") << true;
    QTest::newRow("one char") << str("x") << true;
    QTest::newRow("digits") << str("2024") << true;
    QTest::newRow("Chinese") << str("张三") << true;
    QTest::newRow("Zoë precomposed") << str("Zo\u00EB") << true;
    QTest::newRow("Zoë combining") << str("Zoe\u0308") << true;
    QTest::newRow("Devanagari") << str("देवनागरी") << true;
    QTest::newRow("Thai") << str("สมชาย") << true;
    QTest::newRow("Cyrillic") << str("Жанна") << true;
    QTest::newRow("32 chars") << QString(32, QLatin1Char('a')) << true;
    QTest::newRow("32 non-BMP letters") << str("𠀀").repeated(32) << true; // 64 UTF-16 units
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("33 chars") << QString(33, QLatin1Char('a')) << false;
    QTest::newRow("33 non-BMP letters") << str("𠀀").repeated(33) << false;
    QTest::newRow("space") << str("a b") << false;
    QTest::newRow("ideographic space") << str("张\u3000三") << false;
    QTest::newRow("emoji") << str("bob😀") << false;
    QTest::newRow("@x") << str("@x") << false;
    QTest::newRow("leading mark") << str("\u0308a") << false;
    QTest::newRow("leading Devanagari sign") << str("\u093Fक") << false;
    QTest::newRow("enclosing mark") << str("a\u20DD") << false;
    QTest::newRow("zero width space") << str("a\u200Bb") << false;
    QTest::newRow("lone surrogate") << QString(QChar(0xD83D)) + str("a") << false;
    QTest::newRow("slash") << str("a/b") << false;
    QTest::newRow("plus") << str("a+b") << false;
}

void TestProtocol::usernames()
{
    QFETCH(QString, username);
    QFETCH(bool, valid);
    QCOMPARE(validation::isValidUsername(username), valid);
}

void TestProtocol::foldCase()
{
    QCOMPARE(validation::foldCase(str("Alice")), str("alice"));
    QCOMPARE(validation::foldCase(str("ÀÉÎ Ж")), str("àéî ж"));
    QCOMPARE(validation::foldCase(str("ß")), str("ß")); // simple folding: lengths never change
    QCOMPARE(validation::foldCase(str("ΣΊΣΥΦΟΣ")), validation::foldCase(str("σίσυφος")));
    QCOMPARE(validation::foldCase(str("张三")), str("张三"));
}

void TestProtocol::mentionSpans_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<int>("start");
    QTest::addColumn<int>("end");
    QTest::addColumn<QString>("username");
    QTest::addColumn<bool>("matches");
    const QString emoji = str("😀 @bob hi");
    QTest::newRow("emoji before") << emoji << 3 << 7 << str("bob") << true;
    QTest::newRow("emoji before, code point index") << emoji << 2 << 6 << str("bob") << false;
    QTest::newRow("at start") << str("@bob") << 0 << 4 << str("bob") << true;
    QTest::newRow("Chinese around") << str("你好@张三，早") << 2 << 5 << str("张三") << true;
    QTest::newRow("Chinese off by one right") << str("你好@张三，早") << 2 << 6 << str("张三") << false;
    QTest::newRow("Chinese off by one left") << str("你好@张三，早") << 1 << 5 << str("张三") << false;
    QTest::newRow("one short") << emoji << 3 << 6 << str("bob") << false;
    QTest::newRow("one long") << emoji << 3 << 8 << str("bob") << false;
    QTest::newRow("shifted") << emoji << 4 << 8 << str("bob") << false;
    QTest::newRow("reversed") << emoji << 7 << 3 << str("bob") << false;
    QTest::newRow("empty span") << emoji << 3 << 3 << str("bob") << false;
    QTest::newRow("negative start") << str("@bob") << -1 << 3 << str("bob") << false;
    QTest::newRow("past the end") << str("x @bo") << 2 << 6 << str("bob") << false;
    QTest::newRow("case mismatch") << str("@Bob") << 0 << 4 << str("bob") << false;
    QTest::newRow("no @") << str("#bob") << 0 << 4 << str("bob") << false;
    QTest::newRow("prefix of longer name") << str("@bobby") << 0 << 4 << str("bob") << true;
    QTest::newRow("non-BMP username") << str("hi @𠀀x") << 3 << 7 << str("𠀀x") << true;
    // A name that ends in a high surrogate can only match by cutting the pair.
    QTest::newRow("cuts surrogate pair") << str("@bob😀") << 0 << 5 << str("bob") + QChar(0xD83D) << false;
    QTest::newRow("empty username") << str("@") << 0 << 1 << QString() << false;
}

void TestProtocol::mentionSpans()
{
    QFETCH(QString, content);
    QFETCH(int, start);
    QFETCH(int, end);
    QFETCH(QString, username);
    QFETCH(bool, matches);
    QCOMPARE(validation::mentionSpanMatches(content, Mention{8, start, end}, username), matches);
}

void TestProtocol::visibleContent_data()
{
    QTest::addColumn<QString>("content");
    QTest::addColumn<bool>("visible");
    QTest::newRow("text") << str("hi") << true;
    QTest::newRow("padded") << str("  hi \n") << true;
    QTest::newRow("emoji") << str("😀") << true;
    QTest::newRow("Chinese") << str("早") << true;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("whitespace") << str(" \t\r\n") << false;
    QTest::newRow("ideographic space") << str("\u3000") << false;
    QTest::newRow("nbsp") << str("\u00A0") << false;
    QTest::newRow("zero width") << str("\u200B\u200C\u200D\u2060\uFEFF") << false;
    QTest::newRow("zero width and text") << str("\u200Bx") << true;
}

void TestProtocol::visibleContent()
{
    QFETCH(QString, content);
    QFETCH(bool, visible);
    QCOMPARE(validation::hasVisibleContent(content), visible);
}

// --- names and identity (issue 12) ----------------------------------------

void TestProtocol::usernameKeys()
{
    using validation::usernameKey;
    // Canonically equivalent spellings are one name, stored in NFC.
    QCOMPARE(validation::normalizeUsername(str("e\u0301mile")), str("\u00e9mile"));
    QCOMPARE(usernameKey(str("E\u0301mile")), usernameKey(str("\u00e9MILE")));
    QCOMPARE(usernameKey(str("\u00c9mile")), str("\u00e9mile"));
    // Compatibility forms too: fullwidth Latin, the Kelvin sign, a ligature.
    QCOMPARE(usernameKey(str("\uff41\uff4c\uff49\uff43\uff45")), str("alice"));
    QCOMPARE(usernameKey(str("\u212Aai")), str("kai"));
    QCOMPARE(usernameKey(str("\ufb01sh")), str("fish"));
    // As before for everything else: the old fold of ASCII and CJK names.
    QCOMPARE(usernameKey(str("Alice")), validation::foldCase(str("Alice")));
    QCOMPARE(usernameKey(str("张三")), str("张三"));
    QCOMPARE(usernameKey(str("ß")), validation::foldCase(str("ß")));
    // Idempotent, so a stored key can be recomputed from itself.
    for (const char* name : {"e\u0301mile", "\uff21\uff44\uff4d\uff49\uff4e", "\u0915\u093F", "ΣΊΣΥΦΟΣ"})
        QCOMPARE(usernameKey(usernameKey(str(name))), usernameKey(str(name)));
}

void TestProtocol::displayNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << str("Alice Liddell") << true;
    QTest::newRow("Chinese") << str("王小明") << true;
    QTest::newRow("Arabic") << str("محمد علي") << true;
    QTest::newRow("Hebrew and digits") << str("דוד 2") << true;
    QTest::newRow("Persian ZWNJ") << str("می\u200cخواهم") << true;
    QTest::newRow("emoji ZWJ sequence") << str("\U0001F468\u200D\U0001F469\u200D\U0001F467") << true;
    QTest::newRow("Devanagari") << str("अनु") << true;
    QTest::newRow("tab") << str("a\tb") << false;
    QTest::newRow("DEL") << str("a\u007Fb") << false;
    QTest::newRow("C1 CSI") << str("a\u009Bb") << false;
    QTest::newRow("line separator") << str("a\u2028b") << false;
    QTest::newRow("paragraph separator") << str("a\u2029b") << false;
    for (char16_t u : {u'\u202A', u'\u202B', u'\u202C', u'\u202D', u'\u202E', u'\u2066', u'\u2067',
                       u'\u2068', u'\u2069', u'\u200E', u'\u200F', u'\u061C', u'\u200B', u'\u2060',
                       u'\u2063', u'\uFEFF', u'\u115F', u'\u1160', u'\u3164', u'\uFFA0'}) {
        const QByteArray row = "U+" + QByteArray::number(quint16(u), 16).toUpper().rightJustified(4, '0');
        QTest::newRow(row.constData()) << (str("ab") + QChar(u) + str("c")) << false;
    }
    QTest::newRow("lone high surrogate") << (str("a") + QChar(0xD83D)) << false;
    QTest::newRow("lone low surrogate") << (QString(QChar(0xDE00)) + str("a")) << false;
}

void TestProtocol::displayNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    const QString problem = validation::displayNameProblem(name);
    QVERIFY2(problem.isEmpty() == valid, qPrintable(problem));
    if (!valid)
        QVERIFY(problem.startsWith(QLatin1String("displayName ")));
}

QTEST_APPLESS_MAIN(TestProtocol)
#include "tst_protocol.moc"
