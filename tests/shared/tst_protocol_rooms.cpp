// Rooms (docs/protocol.md: create_room, open_dm, join_room/leave_room, room,
// rooms, joined/room_left, member_left): golden payloads, ids as numbers or
// strings, and rejected fields.
#include "protocol_fixture.h"

class TestProtocolRooms : public QObject {
    Q_OBJECT

private slots:
    void createRoomRequest();
    void openDmRequest();
    void roomRefRequest();
    void roomEvent();
    void roomsReply();
    void roomIdPayload();
    void memberLeftEvent();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }
};

void TestProtocolRooms::createRoomRequest()
{
    GOLDEN(CreateRoomRequest, fromPayload, toPayload, R"({"name":"Team 团队","memberIds":[8,9]})");
    QCOMPARE(r->name, str("Team 团队"));
    QCOMPARE(r->memberIds, (QList<Id>{8, 9}));
}

void TestProtocolRooms::openDmRequest()
{
    GOLDEN(OpenDmRequest, fromPayload, toPayload, R"({"userId":8})");
    QCOMPARE(r->userId, Id(8));
}

void TestProtocolRooms::roomRefRequest()
{
    GOLDEN(RoomRefRequest, fromPayload, toPayload, R"({"roomId":5})");
    QCOMPARE(r->roomId, Id(5));
}

void TestProtocolRooms::roomEvent()
{
    GOLDEN(RoomEvent, fromPayload, toPayload, R"({"room":)" ROOM_GROUP "}");
    QCOMPARE(r->room, groupRoom());
}

void TestProtocolRooms::roomsReply()
{
    GOLDEN(RoomsReply, fromPayload, toPayload, R"({"rooms":[)" ROOM_GROUP "," ROOM_DM "]}");
    QCOMPARE(r->rooms.size(), 2);
    QCOMPARE(r->rooms.at(0), groupRoom());
    QCOMPARE(r->rooms.at(1).id, Id(6));
}

void TestProtocolRooms::roomIdPayload()
{
    GOLDEN(RoomIdPayload, fromPayload, toPayload, R"({"roomId":5})");
    QCOMPARE(r->roomId, Id(5));
}

void TestProtocolRooms::memberLeftEvent()
{
    GOLDEN(MemberLeftEvent, fromPayload, toPayload, R"({"roomId":5,"userId":2})");
    QCOMPARE(r->roomId, Id(5));
    QCOMPARE(r->userId, Id(2));
}

// Accepted input, normalized.
void TestProtocolRooms::normalized_data()
{
    normalizedColumns();
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
}

// Rejected input: the code, and the field the message names.
void TestProtocolRooms::badInput_data()
{
    badInputColumns();
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
    bad("room: lastMessage number", "reply:room",
        R"({"room":{"id":6,"type":"dm","name":"","members":[],"unreadCount":0,"mentionCount":0,"lastMessage":1}})",
        "room.lastMessage");
    bad("rooms: not an array", "reply:rooms", R"({"rooms":{}})", "rooms");
    bad("joined: roomId missing", "reply:joined", "{}", "roomId");
    bad("member_left: userId ill-typed", "reply:member_left", R"({"roomId":1,"userId":true})", "userId");
}

QTEST_APPLESS_MAIN(TestProtocolRooms)
#include "tst_protocol_rooms.moc"
