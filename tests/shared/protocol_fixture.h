#pragma once

// What the tst_protocol_* suites share: golden literals (ALICE, MSG_FULL,
// ROOM_GROUP, ...) reused where one type nests another, a codec for every
// payload kind ("request:<type>", "reply:<type>", "type:<name>"), and the
// bodies of the data-driven tests each suite fills with its own family's
// rows (normalized input, rejected input, limit clamping).

#include "protocol/attention.h"
#include "protocol/avatars.h"
#include "protocol/files.h"
#include "protocol/envelope.h"
#include "protocol/error_code.h"
#include "protocol/event_names.h"
#include "protocol/groups.h"
#include "protocol/ids.h"
#include "protocol/lifecycle.h"
#include "protocol/limits.h"
#include "protocol/replies.h"
#include "protocol/requests.h"
#include "protocol/types.h"
#include "protocol/validation.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <functional>
#include <initializer_list>
#include <tuple>

using namespace confab;

Q_DECLARE_METATYPE(confab::ErrorCode)

namespace protocol_test {

// Golden literals, reused where a reply nests a type.
#define ALICE                                                                                                \
    R"({"id":7,"username":"alice","displayName":"Alice A.","online":true,"lastSeenAt":1700000000123,)"       \
    R"("statusText":"at lunch 🍜","status":"away"})"
#define ZHANG                                                                                                \
    R"({"id":8,"username":"张三","displayName":"三","online":false,"lastSeenAt":0,"statusText":"",)"      \
    R"("status":"available"})"
#define MSG_FULL                                                                                             \
    R"({"id":101,"roomId":5,"senderId":7,"content":"😀 @张三 hi",)"                                      \
    R"("mentions":[{"userId":8,"indexStart":3,"indexEnd":6}],"createdAt":1700000000456,"tempId":"t-1",)"     \
    R"("replyTo":99,"editedAt":1700000000999,"deleted":false,"revision":12,)"                                \
    R"("reactions":[{"emoji":"👍","userIds":[7,8]},{"emoji":"🎉","userIds":[8]}],"kind":"text",)"        \
    R"("replyPreview":{"id":99,"senderId":8,"content":"earlier 早","deleted":false}})"
#define MSG_PLAIN                                                                                            \
    R"({"id":102,"roomId":5,"senderId":8,"content":"hello","mentions":[],"createdAt":1700000001000,)"        \
    R"("tempId":"t-2","replyTo":null,"editedAt":null,"deleted":true,"revision":13,"reactions":[],)"          \
    R"("kind":"text","replyPreview":null})"
#define ROOM_GROUP                                                                                           \
    R"({"id":5,"type":"group","name":"Team 团队","members":[)" ALICE "," ZHANG R"(],"unreadCount":3,)"       \
    R"("mentionCount":1,"lastMessage":)" MSG_FULL R"(,"ownerId":7,"createdAt":1690000000000,)"               \
    R"("topic":"周会 weekly","visibility":"public","notify":"mentions"})"
#define ROOM_DM                                                                                              \
    R"({"id":6,"type":"dm","name":"","members":[)" ALICE "," ZHANG R"(],"unreadCount":0,"mentionCount":0,)"  \
    R"("lastMessage":null,"ownerId":null,"createdAt":1690000000001,"topic":"","visibility":"private",)"      \
    R"("notify":"all"})"

inline QString str(const char* utf8)
{
    return QString::fromUtf8(utf8);
}

inline QJsonObject object(const QByteArray& json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        qWarning("bad test literal: %s", json.constData());
    return doc.object();
}

// A JSON value exactly as the parser produces it (integers stay exact).
inline QJsonValue value(const QByteArray& literal)
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
inline Result<QJsonObject> reencode(const QString& kind, const QJsonObject& json)
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
        {QStringLiteral("request:edit_message"), viaPayload<EditMessageRequest>},
        {QStringLiteral("request:delete_message"), viaPayload<DeleteMessageRequest>},
        {QStringLiteral("request:react"), viaPayload<ReactRequest>},
        {QStringLiteral("request:fetch_changes"), viaPayload<FetchChangesRequest>},
        {QStringLiteral("reply:message_updated"), viaPayload<MessageUpdatedEvent>},
        {QStringLiteral("reply:reaction"), viaPayload<ReactionEvent>},
        {QStringLiteral("reply:changes"), viaPayload<ChangesReply>},
        {QStringLiteral("request:add_members"), viaPayload<AddMembersRequest>},
        {QStringLiteral("request:remove_member"), viaPayload<RemoveMemberRequest>},
        {QStringLiteral("request:set_role"), viaPayload<SetRoleRequest>},
        {QStringLiteral("request:transfer_ownership"), viaPayload<TransferOwnershipRequest>},
        {QStringLiteral("request:update_room"), viaPayload<UpdateRoomRequest>},
        {QStringLiteral("request:pin_message"), viaPayload<PinMessageRequest>},
        {QStringLiteral("request:list_pins"), viaPayload<ListPinsRequest>},
        {QStringLiteral("request:list_public_rooms"), viaPayload<ListPublicRoomsRequest>},
        {QStringLiteral("reply:member_joined"), viaPayload<MemberJoinedEvent>},
        {QStringLiteral("reply:room_left"), viaPayload<RoomLeftEvent>},
        {QStringLiteral("reply:room_updated"), viaPayload<RoomUpdatedEvent>},
        {QStringLiteral("reply:pins_changed"), viaPayload<PinsChangedEvent>},
        {QStringLiteral("reply:pins"), viaPayload<PinsReply>},
        {QStringLiteral("reply:public_rooms"), viaPayload<PublicRoomsReply>},
        {QStringLiteral("type:system"), viaJson<SystemInfo>},
        {QStringLiteral("type:public_room"), viaJson<PublicRoom>},
        {QStringLiteral("request:set_room_settings"), viaPayload<SetRoomSettingsRequest>},
        {QStringLiteral("request:fetch_receipts"), viaPayload<FetchReceiptsRequest>},
        {QStringLiteral("request:set_profile"), viaPayload<SetProfileRequest>},
        {QStringLiteral("request:change_password"), viaPayload<ChangePasswordRequest>},
        {QStringLiteral("reply:room_settings"), viaPayload<RoomSettingsEvent>},
        {QStringLiteral("reply:receipts"), viaPayload<ReceiptsReply>},
        {QStringLiteral("reply:receipt"), viaPayload<ReceiptEvent>},
        {QStringLiteral("reply:user"), viaPayload<UserReply>},
        {QStringLiteral("reply:user_updated"), viaPayload<UserUpdatedEvent>},
        {QStringLiteral("request:set_avatar"), viaPayload<SetAvatarRequest>},
        {QStringLiteral("request:fetch_avatar"), viaPayload<FetchAvatarRequest>},
        {QStringLiteral("reply:avatar"), viaPayload<AvatarReply>},
        {QStringLiteral("request:upload_file"), viaPayload<UploadFileRequest>},
        {QStringLiteral("request:cancel_upload"), viaPayload<CancelUploadRequest>},
        {QStringLiteral("request:fetch_file"), viaPayload<FetchFileRequest>},
        {QStringLiteral("request:cancel_fetch"), viaPayload<CancelFetchRequest>},
        {QStringLiteral("reply:upload"), viaPayload<UploadReply>},
        {QStringLiteral("reply:upload_progress"), viaPayload<UploadProgressEvent>},
        {QStringLiteral("reply:upload_done"), viaPayload<UploadDoneEvent>},
        {QStringLiteral("reply:file"), viaPayload<FileReply>},
        {QStringLiteral("type:file"), viaJson<FileInfo>},
        {QStringLiteral("type:receipt_marker"), viaJson<ReceiptMarker>},
        {QStringLiteral("type:server_policy"), viaJson<ServerPolicy>},
        {QStringLiteral("type:reaction"), viaJson<Reaction>},
        {QStringLiteral("type:reply_preview"), viaJson<ReplyPreview>},
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

inline QByteArray repeated(const char* text, int times)
{
    return QByteArray(text).repeated(times);
}

inline Message goldenMessage()
{
    return *Message::fromJson(object(MSG_FULL));
}
inline Message plainMessage()
{
    return *Message::fromJson(object(MSG_PLAIN));
}
inline User alice()
{
    return *User::fromJson(object(ALICE));
}
inline User zhang()
{
    return *User::fromJson(object(ZHANG));
}
inline Room groupRoom()
{
    return *Room::fromJson(object(ROOM_GROUP));
}

// --- data-driven bodies -----------------------------------------------------

// Accepted input that comes back normalized: kind, input, output.
inline void normalizedColumns()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QByteArray>("output");
}
inline void row(const char* name, const char* kind, const QByteArray& in, const QByteArray& out)
{
    QTest::newRow(name) << str(kind) << in << out;
}
inline void checkNormalized()
{
    QFETCH(QString, kind);
    QFETCH(QByteArray, input);
    QFETCH(QByteArray, output);
    const Result<QJsonObject> r = reencode(kind, object(input));
    QVERIFY2(r.ok(), qPrintable(why(r)));
    QCOMPARE(*r, object(output));
}

// Rejected input: kind, input, the error code, and the field its message must name.
inline void badInputColumns()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<ErrorCode>("code");
    QTest::addColumn<QString>("field");
}
inline void bad(const char* name, const char* kind, const QByteArray& in, const char* field,
                ErrorCode code = ErrorCode::BadRequest)
{
    QTest::newRow(name) << str(kind) << in << code << str(field);
}
inline void checkBadInput()
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

// Paging limits: every odd value, for each request kind given with the
// payload its "limit" member is appended to and its largest page.
inline void limitClampingRows(std::initializer_list<std::tuple<const char*, const char*, int>> kinds)
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QByteArray>("payload"); // the "limit" member is appended
    QTest::addColumn<QByteArray>("limit");
    QTest::addColumn<int>("expected"); // -1: bad_request
    for (const auto& [kind, payload, max] : kinds) {
        const auto limitRow = [&, kind = kind, payload = payload](const char* limit, int expected) {
            QTest::addRow("%s limit %s", kind + 8, limit)
                << str(kind) << QByteArray(payload) << QByteArray(limit) << expected;
        };
        limitRow("0", 1);
        limitRow("-5", 1);
        limitRow("0.5", 1);
        limitRow("1", 1);
        limitRow("7.9", 7);
        limitRow("1000", max);
        limitRow("1e300", max);
        limitRow("-1e300", 1);
        limitRow("\"10\"", -1);
        limitRow("true", -1);
        limitRow("[]", -1);
    }
}
inline void checkLimitClamping()
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

} // namespace protocol_test

using namespace protocol_test;

// --- value types: parse a literal, check every field, serialize back -------

#define GOLDEN(Type, parse, serialize, literal)                                                              \
    const QJsonObject golden = object(literal);                                                              \
    const Result<Type> r = Type::parse(golden);                                                              \
    QVERIFY2(r.ok(), qPrintable(why(r)));                                                                    \
    QCOMPARE(r->serialize(), golden)
