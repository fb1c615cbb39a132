// Attention (contract, second part): set_room_settings, fetch_receipts,
// set_profile, change_password and the room_settings, receipts, receipt,
// user and user_updated the server answers with; the user fields status,
// statusText and sendReceipts, room.notify, presence's status, and the
// server policy in auth_ok.
#include "protocol_fixture.h"

class TestProtocolAttention : public QObject {
    Q_OBJECT

private slots:
    void enumNames();
    void setRoomSettingsRequest();
    void fetchReceiptsRequest();
    void setProfileRequest();
    void setProfileEmptyIsAllowed();
    void changePasswordRequest();
    void roomSettingsEvent();
    void receiptsReply();
    void receiptEvent();
    void userReplyCarriesSendReceipts();
    void userUpdatedEvent();
    void corePeersStillParse();
    void serverPolicy();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
};

void TestProtocolAttention::enumNames()
{
    for (NotifyLevel level : {NotifyLevel::All, NotifyLevel::Mentions, NotifyLevel::None})
        QCOMPARE(notifyLevelFromName(notifyLevelName(level)), std::optional<NotifyLevel>(level));
    QCOMPARE(notifyLevelName(NotifyLevel::Mentions), str("mentions"));
    QCOMPARE(notifyLevelFromName(str("ALL")), std::nullopt);
    for (UserStatus status : {UserStatus::Available, UserStatus::Away, UserStatus::Dnd})
        QCOMPARE(userStatusFromName(userStatusName(status)), std::optional<UserStatus>(status));
    QCOMPARE(userStatusName(UserStatus::Dnd), str("dnd"));
    QCOMPARE(userStatusFromName(str("busy")), std::nullopt);
}

void TestProtocolAttention::setRoomSettingsRequest()
{
    GOLDEN(SetRoomSettingsRequest, fromPayload, toPayload, R"({"roomId":5,"notify":"mentions"})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->notify, NotifyLevel::Mentions);
}

void TestProtocolAttention::fetchReceiptsRequest()
{
    GOLDEN(FetchReceiptsRequest, fromPayload, toPayload, R"({"roomId":5})");
    QCOMPARE(r->roomId, Id(5));
}

void TestProtocolAttention::setProfileRequest()
{
    GOLDEN(
        SetProfileRequest, fromPayload, toPayload,
        R"({"displayName":"Alice 爱丽丝","statusText":"at lunch 🍜","status":"away","sendReceipts":false})");
    QCOMPARE(r->displayName, std::optional<QString>(str("Alice 爱丽丝")));
    QCOMPARE(r->statusText, std::optional<QString>(str("at lunch 🍜")));
    QCOMPARE(r->status, std::optional<UserStatus>(UserStatus::Away));
    QCOMPARE(r->sendReceipts, std::optional<bool>(false));
    QVERIFY(!r->isEmpty());
}

// Nothing to change is not an error: the reply is the user as stored.
void TestProtocolAttention::setProfileEmptyIsAllowed()
{
    GOLDEN(SetProfileRequest, fromPayload, toPayload, "{}");
    QVERIFY(r->isEmpty());
}

void TestProtocolAttention::changePasswordRequest()
{
    GOLDEN(ChangePasswordRequest, fromPayload, toPayload,
           R"({"oldPassword":"old pw","newPassword":"新しい pw"})");
    QCOMPARE(r->oldPassword, str("old pw"));
    QCOMPARE(r->newPassword, str("新しい pw"));
    QVERIFY(ChangePasswordRequest::fromPayload(object(R"({"oldPassword":"x","newPassword":")" +
                                                      repeated("x", limits::kPasswordMaxBytes) + R"("})"))
                .ok());
}

void TestProtocolAttention::roomSettingsEvent()
{
    GOLDEN(RoomSettingsEvent, fromPayload, toPayload, R"({"roomId":5,"notify":"none"})");
    QCOMPARE(*r, (RoomSettingsEvent{5, NotifyLevel::None}));
}

void TestProtocolAttention::receiptsReply()
{
    GOLDEN(ReceiptsReply, fromPayload, toPayload,
           R"({"roomId":5,"markers":[{"userId":7,"messageId":101},{"userId":8,"messageId":99}]})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->markers, (QList<ReceiptMarker>{{7, 101}, {8, 99}}));
}

void TestProtocolAttention::receiptEvent()
{
    GOLDEN(ReceiptEvent, fromPayload, toPayload, R"({"roomId":5,"userId":8,"messageId":102})");
    QCOMPARE(*r, (ReceiptEvent{5, 8, 102}));
}

// The user's own copy carries sendReceipts; others' copies never do.
void TestProtocolAttention::userReplyCarriesSendReceipts()
{
    GOLDEN(UserReply, fromPayload, toPayload,
           R"({"user":{"id":7,"username":"alice","displayName":"Alice","online":true,"lastSeenAt":5,)"
           R"("statusText":"","status":"dnd","sendReceipts":false}})");
    QCOMPARE(r->user.status, UserStatus::Dnd);
    QCOMPARE(r->user.sendReceipts, std::optional<bool>(false));
    QVERIFY(!alice().sendReceipts);
    QVERIFY(!alice().toJson().contains(QLatin1String("sendReceipts")));
}

void TestProtocolAttention::userUpdatedEvent()
{
    GOLDEN(UserUpdatedEvent, fromPayload, toPayload, R"({"user":)" ALICE "}");
    QCOMPARE(r->user, alice());
    QCOMPARE(r->user.status, UserStatus::Away);
    QCOMPARE(r->user.statusText, str("at lunch 🍜"));
}

// A peer that speaks only the core contract sends none of the attention
// fields: they read as their defaults.
void TestProtocolAttention::corePeersStillParse()
{
    const auto user =
        User::fromJson(object(R"({"id":7,"username":"a","displayName":"A","online":false,"lastSeenAt":0})"));
    QVERIFY2(user.ok(), qPrintable(why(user)));
    QCOMPARE(user->status, UserStatus::Available);
    QCOMPARE(user->statusText, QString());
    const auto presence = PresenceEvent::fromPayload(object(R"({"userId":7,"online":true,"lastSeenAt":0})"));
    QVERIFY2(presence.ok(), qPrintable(why(presence)));
    QCOMPARE(presence->status, UserStatus::Available);
    QJsonObject room = groupRoom().toJson();
    room.remove(QLatin1String("notify"));
    QCOMPARE(Room::fromJson(room)->notify, NotifyLevel::All);
    QCOMPARE(groupRoom().notify, NotifyLevel::Mentions);
    const auto ok = AuthOk::fromPayload(object(R"({"token":"t","user":)" ZHANG "}"));
    QVERIFY2(ok.ok(), qPrintable(why(ok)));
    QCOMPARE(ok->policy, ServerPolicy());
}

void TestProtocolAttention::serverPolicy()
{
    GOLDEN(ServerPolicy, fromJson, toJson, R"({"editWindowS":600,"deleteWindowS":0,"receipts":false})");
    QCOMPARE(*r, (ServerPolicy{600, 0, false}));
}

void TestProtocolAttention::normalized_data()
{
    normalizedColumns();
    row("set_room_settings: string id", "request:set_room_settings", R"({"roomId":"5","notify":"all"})",
        R"({"roomId":5,"notify":"all"})");
    row("set_profile: nulls are absent", "request:set_profile",
        R"({"displayName":null,"statusText":null,"status":null,"sendReceipts":null})", "{}");
    row("set_profile: trimmed", "request:set_profile", R"({"displayName":"  Bob ","statusText":"  "})",
        R"({"displayName":"Bob","statusText":""})");
    row("set_profile: NFC", "request:set_profile", R"({"statusText":"cafe\u0301"})",
        R"({"statusText":"café"})");
    row("set_profile: statusText at the limit", "request:set_profile",
        R"({"statusText":")" + repeated("x", limits::kStatusTextMaxLength) + R"("})",
        R"({"statusText":")" + repeated("x", limits::kStatusTextMaxLength) + R"("})");
    row("receipt marker: string ids", "type:receipt_marker", R"({"userId":"7","messageId":"9"})",
        R"({"userId":7,"messageId":9})");
}

void TestProtocolAttention::badInput_data()
{
    badInputColumns();
    bad("set_room_settings: roomId missing", "request:set_room_settings", R"({"notify":"all"})", "roomId");
    bad("set_room_settings: notify missing", "request:set_room_settings", R"({"roomId":5})", "notify");
    bad("set_room_settings: notify unknown", "request:set_room_settings", R"({"roomId":5,"notify":"some"})",
        "notify");
    bad("set_room_settings: notify number", "request:set_room_settings", R"({"roomId":5,"notify":1})",
        "notify");
    bad("fetch_receipts: roomId object", "request:fetch_receipts", R"({"roomId":{}})", "roomId");
    bad("set_profile: displayName empty", "request:set_profile", R"({"displayName":" "})", "displayName");
    bad("set_profile: displayName too long", "request:set_profile",
        R"({"displayName":")" + repeated("x", limits::kDisplayNameMaxLength + 1) + R"("})", "displayName");
    bad("set_profile: displayName bidi", "request:set_profile", R"({"displayName":"a\u202eb"})",
        "displayName");
    bad("set_profile: statusText too long", "request:set_profile",
        R"({"statusText":")" + repeated("x", limits::kStatusTextMaxLength + 1) + R"("})", "statusText");
    bad("set_profile: statusText control", "request:set_profile", R"({"statusText":"a\u0007b"})",
        "statusText");
    bad("set_profile: statusText newline", "request:set_profile", R"({"statusText":"a\nb"})", "statusText");
    bad("set_profile: statusText zero width", "request:set_profile", R"({"statusText":"a\u200bb"})",
        "statusText");
    bad("set_profile: statusText number", "request:set_profile", R"({"statusText":5})", "statusText");
    bad("set_profile: status unknown", "request:set_profile", R"({"status":"busy"})", "status");
    bad("set_profile: status bool", "request:set_profile", R"({"status":true})", "status");
    bad("set_profile: sendReceipts string", "request:set_profile", R"({"sendReceipts":"no"})",
        "sendReceipts");
    bad("change_password: old missing", "request:change_password", R"({"newPassword":"x"})", "oldPassword");
    bad("change_password: new empty", "request:change_password", R"({"oldPassword":"x","newPassword":""})",
        "newPassword");
    bad("change_password: new too long", "request:change_password",
        R"({"oldPassword":"x","newPassword":")" + repeated("x", limits::kPasswordMaxBytes + 1) + R"("})",
        "newPassword");
    bad("room_settings: notify missing", "reply:room_settings", R"({"roomId":5})", "notify");
    bad("receipts: markers missing", "reply:receipts", R"({"roomId":5})", "markers");
    bad("receipts: marker messageId missing", "reply:receipts", R"({"roomId":5,"markers":[{"userId":7}]})",
        "markers[0].messageId");
    bad("receipt: userId missing", "reply:receipt", R"({"roomId":5,"messageId":1})", "userId");
    bad("user: user missing", "reply:user", "{}", "user");
    bad("user_updated: status unknown", "reply:user_updated",
        R"({"user":{"id":7,"username":"a","displayName":"A","online":false,"lastSeenAt":0,"status":"x"}})",
        "user.status");
    bad("user: sendReceipts number", "type:user",
        R"({"id":7,"username":"a","displayName":"A","online":false,"lastSeenAt":0,"sendReceipts":1})",
        "sendReceipts");
    bad("room: notify unknown", "type:room",
        R"({"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0,"notify":"loud"})",
        "notify");
    bad("presence: status number", "reply:presence",
        R"({"userId":8,"online":true,"lastSeenAt":0,"status":2})", "status");
    bad("policy: receipts missing", "type:server_policy", R"({"editWindowS":1,"deleteWindowS":1})",
        "receipts");
    bad("auth_ok: policy not an object", "reply:auth_ok",
        R"({"token":"t","user":)" ZHANG R"(,"policy":true})", "policy");
}

QTEST_APPLESS_MAIN(TestProtocolAttention)
#include "tst_protocol_attention.moc"
