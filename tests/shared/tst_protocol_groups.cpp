// Groups (contract, second part: "Groups"): roles, membership, name, topic
// and visibility, system messages, pins and the public directory, and the
// group fields the core types gained (User.role, Room.topic/visibility,
// Message.system). A peer that speaks only the core contract still parses.
#include "protocol_fixture.h"

class TestProtocolGroups : public QObject {
    Q_OBJECT

private slots:
    void addMembersRequest();
    void roleAndOwnershipRequests();
    void updateRoomRequest();
    void createRoomTakesTopicAndVisibility();
    void pinsAndDirectoryRequests();
    void memberJoinedAndLeftEvents();
    void roomLeftReason();
    void roomUpdatedCarriesRolesTopicVisibility();
    void pinsChangedAndPinsReply();
    void publicRoomsReply();
    void systemMessages_data();
    void systemMessages();
    void corePeerShapesStillParse();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
    void limitClamping_data();
    void limitClamping() { checkLimitClamping(); }
};

void TestProtocolGroups::addMembersRequest()
{
    GOLDEN(AddMembersRequest, fromPayload, toPayload, R"({"roomId":5,"userIds":[8,9,10]})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->userIds, (QList<Id>{8, 9, 10}));
    // Duplicates are dropped in order; the most a request names is the member cap.
    QCOMPARE(AddMembersRequest::fromPayload(object(R"({"roomId":5,"userIds":[9,8,9,"8"]})"))->userIds,
             (QList<Id>{9, 8}));
    QVERIFY(AddMembersRequest::fromPayload(
                object(R"({"roomId":5,"userIds":[)" + repeated("1,", limits::kMaxRoomMembers - 1) + "1]}"))
                .ok());
}

void TestProtocolGroups::roleAndOwnershipRequests()
{
    {
        GOLDEN(RemoveMemberRequest, fromPayload, toPayload, R"({"roomId":5,"userId":8})");
        QCOMPARE(r->userId, Id(8));
    }
    {
        GOLDEN(SetRoleRequest, fromPayload, toPayload, R"({"roomId":5,"userId":8,"role":"admin"})");
        QCOMPARE(r->role, MemberRole::Admin);
    }
    {
        GOLDEN(SetRoleRequest, fromPayload, toPayload, R"({"roomId":5,"userId":8,"role":"member"})");
        QCOMPARE(r->role, MemberRole::Member);
    }
    {
        GOLDEN(TransferOwnershipRequest, fromPayload, toPayload, R"({"roomId":5,"userId":9})");
        QCOMPARE(r->userId, Id(9));
    }
}

void TestProtocolGroups::updateRoomRequest()
{
    {
        GOLDEN(UpdateRoomRequest, fromPayload, toPayload,
               R"({"roomId":5,"name":"设计评审","topic":"每周二 14:00","visibility":"public"})");
        QCOMPARE(r->name, std::optional<QString>(str("设计评审")));
        QCOMPARE(r->topic, std::optional<QString>(str("每周二 14:00")));
        QCOMPARE(r->visibility, std::optional<RoomVisibility>(RoomVisibility::Public));
    }
    {
        // An empty topic clears it; the other fields stay as they are.
        GOLDEN(UpdateRoomRequest, fromPayload, toPayload, R"({"roomId":5,"topic":""})");
        QCOMPARE(r->topic, std::optional<QString>(QString()));
        QVERIFY(!r->name && !r->visibility);
    }
    const auto multiLine = UpdateRoomRequest::fromPayload(object(R"({"roomId":5,"topic":"line 1\nline 2"})"));
    QVERIFY(multiLine.ok());
    QCOMPARE(*multiLine->topic, str("line 1\nline 2"));
}

void TestProtocolGroups::createRoomTakesTopicAndVisibility()
{
    GOLDEN(CreateRoomRequest, fromPayload, toPayload,
           R"({"name":"Launch 发布","memberIds":[2,3],"topic":"Friday","visibility":"public"})");
    QCOMPARE(r->topic, str("Friday"));
    QCOMPARE(r->visibility, RoomVisibility::Public);
    // The core contract's create_room: private, no topic.
    const auto core = CreateRoomRequest::fromPayload(object(R"({"name":"T","memberIds":[2]})"));
    QVERIFY(core.ok());
    QCOMPARE(core->visibility, RoomVisibility::Private);
    QVERIFY(core->topic.isEmpty());
}

void TestProtocolGroups::pinsAndDirectoryRequests()
{
    {
        GOLDEN(PinMessageRequest, fromPayload, toPayload, R"({"messageId":101,"pinned":false})");
        QCOMPARE(r->pinned, false);
    }
    {
        GOLDEN(ListPinsRequest, fromPayload, toPayload, R"({"roomId":5})");
        QCOMPARE(r->roomId, Id(5));
    }
    {
        GOLDEN(ListPublicRoomsRequest, fromPayload, toPayload, R"({"query":"设计","limit":30})");
        QCOMPARE(r->query, str("设计"));
        QCOMPARE(r->limit, 30);
    }
}

void TestProtocolGroups::memberJoinedAndLeftEvents()
{
    {
        GOLDEN(MemberJoinedEvent, fromPayload, toPayload,
               R"({"roomId":5,"user":{"id":9,"username":"dave","displayName":"Dave 大卫","online":true,)"
               R"("lastSeenAt":0,"role":"member","statusText":"","status":"available"},"byUserId":7})");
        QCOMPARE(r->user.role, std::optional<MemberRole>(MemberRole::Member));
        QCOMPARE(r->byUserId, Id(7));
    }
    {
        GOLDEN(MemberLeftEvent, fromPayload, toPayload, R"({"roomId":5,"userId":9,"byUserId":7})");
        QCOMPARE(r->byUserId, Id(7));
    }
    // The first part's member_left has no byUserId.
    const auto core = MemberLeftEvent::fromPayload(object(R"({"roomId":5,"userId":9})"));
    QVERIFY(core.ok());
    QCOMPARE(core->byUserId, Id(0));
    QCOMPARE(core->toPayload(), object(R"({"roomId":5,"userId":9})"));
}

void TestProtocolGroups::roomLeftReason()
{
    {
        GOLDEN(RoomLeftEvent, fromPayload, toPayload, R"({"roomId":5,"reason":"removed"})");
        QCOMPARE(r->reason, str("removed"));
    }
    const auto core = RoomLeftEvent::fromPayload(object(R"({"roomId":5})"));
    QVERIFY(core.ok());
    QCOMPARE(core->reason, str("left"));
}

void TestProtocolGroups::roomUpdatedCarriesRolesTopicVisibility()
{
    GOLDEN(RoomUpdatedEvent, fromPayload, toPayload, R"({"room":)" ROOM_GROUP "}");
    QCOMPARE(r->room.topic, str("周会 weekly"));
    QCOMPARE(r->room.visibility, RoomVisibility::Public);
    Room room = groupRoom();
    room.members[0].role = MemberRole::Owner;
    room.members[1].role = MemberRole::Admin;
    const QJsonObject json = room.toJson();
    QCOMPARE(json.value(QLatin1String("members"))
                 .toArray()
                 .at(1)
                 .toObject()
                 .value(QLatin1String("role"))
                 .toString(),
             str("admin"));
    QCOMPARE(Room::fromJson(json).value(), room);
}

void TestProtocolGroups::pinsChangedAndPinsReply()
{
    {
        GOLDEN(PinsChangedEvent, fromPayload, toPayload,
               R"({"roomId":5,"messageId":101,"pinned":true,"byUserId":7})");
        QCOMPARE(*r, (PinsChangedEvent{5, 101, true, 7}));
    }
    {
        GOLDEN(PinsReply, fromPayload, toPayload, R"({"roomId":5,"messages":[)" MSG_FULL "]}");
        QCOMPARE(r->messages, QList<Message>{goldenMessage()});
    }
}

void TestProtocolGroups::publicRoomsReply()
{
    GOLDEN(PublicRoomsReply, fromPayload, toPayload,
           R"({"rooms":[{"id":5,"name":"设计评审","topic":"","memberCount":12},)"
           R"({"id":9,"name":"Launch","topic":"Fri","memberCount":3}]})");
    QCOMPARE(r->rooms.size(), 2);
    QCOMPARE(r->rooms.at(0), (PublicRoom{5, str("设计评审"), QString(), 12}));
}

void TestProtocolGroups::systemMessages_data()
{
    QTest::addColumn<QByteArray>("system");
    QTest::addColumn<int>("action");
    QTest::newRow("created") << QByteArray(R"({"action":"created","actorId":7,"name":"Team"})")
                             << int(SystemAction::Created);
    QTest::newRow("member_added") << QByteArray(R"({"action":"member_added","actorId":7,"userIds":[8,9]})")
                                  << int(SystemAction::MemberAdded);
    QTest::newRow("member_removed") << QByteArray(R"({"action":"member_removed","actorId":7,"userIds":[8]})")
                                    << int(SystemAction::MemberRemoved);
    QTest::newRow("member_left") << QByteArray(R"({"action":"member_left","actorId":8})")
                                 << int(SystemAction::MemberLeft);
    QTest::newRow("role_changed") << QByteArray(R"({"action":"role_changed","actorId":7,"userIds":[8],"role":"admin"})")
                                  << int(SystemAction::RoleChanged);
    QTest::newRow("owner_changed") << QByteArray(R"({"action":"owner_changed","actorId":7,"userIds":[9]})")
                                   << int(SystemAction::OwnerChanged);
    QTest::newRow("renamed") << QByteArray(R"({"action":"renamed","actorId":7,"name":"新名字"})")
                             << int(SystemAction::Renamed);
    QTest::newRow("topic_changed") << QByteArray(R"({"action":"topic_changed","actorId":7,"topic":""})")
                                   << int(SystemAction::TopicChanged);
    QTest::newRow("pinned") << QByteArray(R"({"action":"pinned","actorId":7,"messageId":101})")
                            << int(SystemAction::Pinned);
    QTest::newRow("unpinned") << QByteArray(R"({"action":"unpinned","actorId":7,"messageId":101})")
                              << int(SystemAction::Unpinned);
}

// A system message: kind "system", content "", and `system` saying what
// happened; every action round-trips inside a message.
void TestProtocolGroups::systemMessages()
{
    QFETCH(QByteArray, system);
    QFETCH(int, action);
    const QJsonObject golden =
        object(R"({"id":300,"roomId":5,"senderId":7,"content":"","mentions":[],"createdAt":1700000000000,)"
               R"("tempId":"","replyTo":null,"editedAt":null,"deleted":false,"revision":40,"reactions":[],)"
               R"("attachments":[],"kind":"system","replyPreview":null,"system":)" +
               system + "}");
    const Result<Message> m = Message::fromJson(golden);
    QVERIFY2(m.ok(), qPrintable(why(m)));
    QCOMPARE(m->kind, MessageKind::System);
    QVERIFY(m->system);
    QCOMPARE(int(m->system->action), action);
    QCOMPARE(m->toJson(), golden);
    QCOMPARE(systemActionFromName(systemActionName(SystemAction(action))),
             std::optional(SystemAction(action)));
}

// What a first-part peer sends (no role, topic, visibility or system) parses
// to the defaults, and a text message carries no "system" key.
void TestProtocolGroups::corePeerShapesStillParse()
{
    const auto room = Room::fromJson(object(R"({"id":6,"type":"group","name":"T","members":[)" ALICE
                                            R"(],"unreadCount":0,"mentionCount":0})"));
    QVERIFY2(room.ok(), qPrintable(why(room)));
    QVERIFY(room->topic.isEmpty());
    QCOMPARE(room->visibility, RoomVisibility::Private);
    QVERIFY(!room->members.at(0).role);
    QVERIFY(!room->members.at(0).toJson().contains(QLatin1String("role")));
    QVERIFY(!goldenMessage().toJson().contains(QLatin1String("system")));
    QVERIFY(!goldenMessage().system);
}

void TestProtocolGroups::normalized_data()
{
    normalizedColumns();
    row("update_room: name and topic trimmed", "request:update_room",
        R"({"roomId":"5","name":"  Team  ","topic":"  hi  ","visibility":null})",
        R"({"roomId":5,"name":"Team","topic":"hi"})");
    row("list_public_rooms: defaults", "request:list_public_rooms", "{}", R"({"limit":20})");
    row("list_public_rooms: query null", "request:list_public_rooms", R"({"query":null,"limit":5})",
        R"({"limit":5})");
    row("system: userIds null", "type:system", R"({"action":"member_left","actorId":"8","userIds":null})",
        R"({"action":"member_left","actorId":8})");
    row("user: role null", "type:user",
        R"({"id":1,"username":"a","displayName":"A","online":false,"lastSeenAt":0,"role":null})",
        R"({"id":1,"username":"a","displayName":"A","online":false,"lastSeenAt":0,"statusText":"","status":"available"})");
}

void TestProtocolGroups::badInput_data()
{
    badInputColumns();
    bad("add_members: userIds missing", "request:add_members", R"({"roomId":5})", "userIds");
    bad("add_members: userIds empty", "request:add_members", R"({"roomId":5,"userIds":[]})", "userIds");
    bad("add_members: userIds object", "request:add_members", R"({"roomId":5,"userIds":{}})", "userIds");
    bad("add_members: userIds holds bool", "request:add_members", R"({"roomId":5,"userIds":[true]})",
        "userIds");
    bad("add_members: too many", "request:add_members",
        R"({"roomId":5,"userIds":[)" + repeated("1,", limits::kMaxRoomMembers) + "1]}", "userIds");
    bad("remove_member: userId missing", "request:remove_member", R"({"roomId":5})", "userId");
    bad("set_role: owner", "request:set_role", R"({"roomId":5,"userId":8,"role":"owner"})", "role");
    bad("set_role: unknown", "request:set_role", R"({"roomId":5,"userId":8,"role":"king"})", "role");
    bad("set_role: role missing", "request:set_role", R"({"roomId":5,"userId":8})", "role");
    bad("transfer_ownership: roomId missing", "request:transfer_ownership", R"({"userId":8})", "roomId");
    bad("update_room: nothing to change", "request:update_room", R"({"roomId":5})", "update_room");
    bad("update_room: name blank", "request:update_room", R"({"roomId":5,"name":"   "})", "name");
    bad("update_room: name too long", "request:update_room",
        R"({"roomId":5,"name":")" + repeated("x", limits::kRoomNameMaxLength + 1) + R"("})", "name");
    bad("update_room: topic too long", "request:update_room",
        R"({"roomId":5,"topic":")" + repeated("话", limits::kTopicMaxLength + 1) + R"("})", "topic");
    bad("update_room: topic control", "request:update_room", R"({"roomId":5,"topic":"a\u0007b"})", "topic");
    bad("update_room: topic number", "request:update_room", R"({"roomId":5,"topic":5})", "topic");
    bad("update_room: visibility unknown", "request:update_room", R"({"roomId":5,"visibility":"secret"})",
        "visibility");
    bad("create_room: visibility bool", "request:create_room", R"({"name":"T","visibility":true})",
        "visibility");
    bad("pin_message: pinned missing", "request:pin_message", R"({"messageId":1})", "pinned");
    bad("list_pins: roomId missing", "request:list_pins", "{}", "roomId");
    bad("list_public_rooms: query too long", "request:list_public_rooms",
        R"({"query":")" + repeated("x", limits::kQueryMaxLength + 1) + R"("})", "query");
    bad("list_public_rooms: query number", "request:list_public_rooms", R"({"query":1})", "query");
    bad("member_joined: user missing", "reply:member_joined", R"({"roomId":5,"byUserId":7})", "user");
    bad("room_left: reason unknown", "reply:room_left", R"({"roomId":5,"reason":"kicked"})", "reason");
    bad("pins_changed: byUserId missing", "reply:pins_changed", R"({"roomId":5,"messageId":1,"pinned":true})",
        "byUserId");
    bad("public_rooms: memberCount string", "reply:public_rooms",
        R"({"rooms":[{"id":5,"name":"T","topic":"","memberCount":"3"}]})", "rooms[0].memberCount");
    bad("system: action unknown", "type:system", R"({"action":"exploded","actorId":7})", "action");
    bad("system: actorId missing", "type:system", R"({"action":"created"})", "actorId");
    bad("system: userIds holds bool", "type:system",
        R"({"action":"member_added","actorId":7,"userIds":[true]})", "userIds");
    bad("user: role unknown", "type:user",
        R"({"id":1,"username":"a","displayName":"A","online":false,"lastSeenAt":0,"role":"god"})", "role");
    bad("room: topic number", "type:room",
        R"({"id":6,"type":"group","name":"T","members":[],"unreadCount":0,"mentionCount":0,"topic":1})",
        "topic");
    bad("room: visibility unknown", "type:room",
        R"({"id":6,"type":"group","name":"T","members":[],"unreadCount":0,"mentionCount":0,"visibility":"x"})",
        "visibility");
    bad("message: system string", "type:message",
        R"({"id":1,"roomId":2,"senderId":3,"content":"","mentions":[],"createdAt":4,"tempId":"t",)"
        R"("deleted":false,"kind":"system","system":"x"})",
        "system");
}

void TestProtocolGroups::limitClamping_data()
{
    limitClampingRows({{"request:list_public_rooms", R"({"query":"a",)", limits::kPublicRoomsMaxLimit}});
}

QTEST_APPLESS_MAIN(TestProtocolGroups)
#include "tst_protocol_groups.moc"
