// The storage layer against a real database, on every backend (store_fixture.h). Rooms: groups, DMs (and
// notes to self), leaving, the indistinguishable "no such room" error, and the per-user room list order.

#include "store_fixture.h"

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

class TestStoreRooms : public StoreFixture {
    Q_OBJECT

private slots:
    void createGroup()
    {
        const qint64 now = tick();
        TAKE(const Room room,
             m_store->createGroup(u"Launch 发布"_s, m_alice.id, {m_bob.id, m_carol.id, m_bob.id}, now));
        QVERIFY(room.id > 0);
        QCOMPARE(room.type, RoomType::Group);
        QCOMPARE(room.name, u"Launch 发布"_s);
        QCOMPARE(room.ownerId, m_alice.id);
        QCOMPARE(room.createdAt, now);
        QCOMPARE(idsOf(room.members),
                 QList<Id>({m_alice.id, m_bob.id, m_carol.id})); // owner included, no repeats
        // Each member carries the role held in the group: the creator owns it.
        User bobAsMember = m_bob;
        bobAsMember.role = MemberRole::Member;
        QCOMPARE(room.members.at(1), bobAsMember);
        QCOMPARE(room.members.at(0).role, std::optional<MemberRole>(MemberRole::Owner));
        QCOMPARE(room.members.at(2).role, std::optional<MemberRole>(MemberRole::Member));
        QCOMPARE(room.topic, QString());
        QCOMPARE(room.visibility, RoomVisibility::Private);
        QCOMPARE(room.unreadCount, 0);
        QCOMPARE(room.mentionCount, 0);
        QVERIFY(!room.lastMessage);
        TAKE(const Room asCarol, m_store->roomForUser(room.id, m_carol.id));
        QCOMPARE(asCarol, room);

        // The owner alone; the owner listed among the members too.
        TAKE(const Room solo, m_store->createGroup(u"Notes"_s, m_bob.id, {m_bob.id}, tick()));
        QCOMPARE(idsOf(solo.members), QList<Id>({m_bob.id}));

        // An unknown member: nothing is stored.
        TAKE(const QList<RoomMembership> before, m_store->memberships());
        EXPECT_ERROR(m_store->createGroup(u"Ghosts"_s, m_alice.id, {m_bob.id, 9999}, tick()), "not_found",
                     "no such user");
        TAKE(const QList<RoomMembership> after, m_store->memberships());
        QCOMPARE(after.size(), before.size());
        TAKE(const QList<Room> aliceRooms, m_store->roomsForUser(m_alice.id));
        QCOMPARE(idsOf(aliceRooms), QList<Id>({room.id}));
    }

    void openDm()
    {
        TAKE(const DmRoom first, m_store->openDm(m_alice.id, m_bob.id, tick()));
        QVERIFY(first.created);
        QCOMPARE(first.room.type, RoomType::Dm);
        QCOMPARE(first.room.name, u"Bob Wang"_s); // the other member, as alice sees it
        QCOMPARE(first.room.ownerId, Id(0));
        QCOMPARE(idsOf(first.room.members), QList<Id>({m_alice.id, m_bob.id}));

        TAKE(const DmRoom reverse, m_store->openDm(m_bob.id, m_alice.id, tick()));
        QVERIFY(!reverse.created);
        QCOMPARE(reverse.room.id, first.room.id);
        QCOMPARE(reverse.room.name, u"Alice Liddell"_s);
        TAKE(const DmRoom again, m_store->openDm(m_alice.id, m_bob.id, tick()));
        QVERIFY(!again.created);
        QCOMPARE(again.room, first.room);
        TAKE(const Room asBob, m_store->roomForUser(first.room.id, m_bob.id));
        QCOMPARE(asBob.name, u"Alice Liddell"_s);

        TAKE(const DmRoom other, m_store->openDm(m_carol.id, m_alice.id, tick()));
        QVERIFY(other.created);
        QVERIFY(other.room.id != first.room.id);

        // Note to self: one member, named after the user.
        TAKE(const DmRoom self, m_store->openDm(m_ming.id, m_ming.id, tick()));
        QVERIFY(self.created);
        QCOMPARE(self.room.name, u"王小明"_s);
        QCOMPARE(idsOf(self.room.members), QList<Id>({m_ming.id}));
        TAKE(const DmRoom selfAgain, m_store->openDm(m_ming.id, m_ming.id, tick()));
        QVERIFY(!selfAgain.created);
        QCOMPARE(selfAgain.room.id, self.room.id);

        EXPECT_ERROR(m_store->openDm(m_alice.id, 9999, tick()), "not_found", "no such user");
        TAKE(const QList<RoomMembership> memberships, m_store->memberships());
        QCOMPARE(memberships.size(), 3);
        QCOMPARE(memberships.at(0).roomId, first.room.id);
        QCOMPARE(memberships.at(0).type, RoomType::Dm);
        QCOMPARE(memberships.at(0).memberIds, QList<Id>({m_alice.id, m_bob.id}));
        QCOMPARE(memberships.at(2).memberIds, QList<Id>({m_ming.id}));
    }

    // A removal is recorded before its system message (delivery follows the
    // records: the removed user is out of the registry before it goes out),
    // and the change log carries what another instance needs to deliver it.
    void groupChangesAreRecordedInDeliveryOrder()
    {
        m_store->setChangeOrigin(u"groups-test"_s);
        TAKE(const qint64 start, m_store->newestChangeId());
        TAKE(const Room room, m_store->createGroup(u"Team"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        m_store->takeCommittedChanges();
        VERIFY_OK(m_store->removeMember(room.id, m_alice.id, m_bob.id, tick()));
        const QList<ChangeRecord> removed = m_store->takeCommittedChanges();
        QCOMPARE(removed.size(), 2);
        QCOMPARE(removed.at(0).kind, ChangeRecord::Kind::MemberLeft);
        QCOMPARE(removed.at(0).userId, m_bob.id);
        QVERIFY(removed.at(0).on);
        QCOMPARE(removed.at(0).userIds, QList<Id>{m_alice.id});
        QCOMPARE(removed.at(0).membership->memberIds, QList<Id>({m_alice.id, m_carol.id}));
        QCOMPARE(removed.at(1).kind, ChangeRecord::Kind::Message);
        QCOMPARE(removed.at(1).message->kind, MessageKind::System);
        QCOMPARE(removed.at(1).message->system->action, SystemAction::MemberRemoved);

        VERIFY_OK(m_store->addMembers(room.id, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        const QList<ChangeRecord> added = m_store->takeCommittedChanges();
        QCOMPARE(added.size(), 2);
        QCOMPARE(added.at(0).kind, ChangeRecord::Kind::MemberJoined);
        QCOMPARE(added.at(0).userIds, QList<Id>{m_bob.id}); // carol was a member
        QVERIFY(added.at(0).room);
        QCOMPARE(added.at(1).message->system->userIds, QList<Id>{m_bob.id});

        TAKE(const QList<LoggedChange> logged, m_store->changesAfter(start, 100));
        for (const LoggedChange& change : logged) {
            if (change.change.kind == ChangeRecord::Kind::MemberLeft) {
                QVERIFY(change.change.on);
                QCOMPARE(change.change.userIds, QList<Id>{m_alice.id});
            }
            if (change.change.kind == ChangeRecord::Kind::MemberJoined) {
                QList<Id> members = change.change.membership->memberIds; // in no particular order
                std::sort(members.begin(), members.end());
                QCOMPARE(members, QList<Id>({m_alice.id, m_bob.id, m_carol.id}));
            }
        }
        QCOMPARE(logged.size(), 5); // room, member left, message, member joined, message
        QCOMPARE(logged.at(2).change.message->kind, MessageKind::System);
        m_store->setChangeOrigin(QString());
    }

    void leaveRoom()
    {
        TAKE(const Room group,
             m_store->createGroup(u"Book club"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const DmRoom dm, m_store->openDm(m_alice.id, m_bob.id, tick()));
        TAKE(const InsertedMessage hello, send(group.id, m_bob.id, u"hello"_s, u"b-1"_s));

        VERIFY_OK(m_store->leaveRoom(group.id, m_carol.id));
        EXPECT_ERROR(m_store->roomForUser(group.id, m_carol.id), "forbidden", "no such room or not a member");
        TAKE(const QList<Room> carolRooms, m_store->roomsForUser(m_carol.id));
        QVERIFY(carolRooms.isEmpty());
        TAKE(const Room asAlice, m_store->roomForUser(group.id, m_alice.id));
        QCOMPARE(idsOf(asAlice.members), QList<Id>({m_alice.id, m_bob.id}));
        TAKE(const QList<RoomMembership> memberships, m_store->memberships());
        QCOMPARE(memberships.at(0).memberIds, QList<Id>({m_alice.id, m_bob.id}));
        EXPECT_ERROR(send(group.id, m_carol.id, u"still here?"_s, u"c-1"_s), "forbidden",
                     "no such room or not a member");
        EXPECT_ERROR(m_store->markRead(group.id, m_carol.id, hello.message.id), "forbidden",
                     "no such room or not a member");

        EXPECT_ERROR(m_store->leaveRoom(group.id, m_carol.id), "forbidden", "no such room or not a member");
        EXPECT_ERROR(m_store->leaveRoom(9999, m_carol.id), "forbidden", "no such room or not a member");
        EXPECT_ERROR(m_store->leaveRoom(dm.room.id, m_alice.id), "forbidden",
                     "cannot leave a direct message");
        // Someone else's DM looks like any room one is not in.
        EXPECT_ERROR(m_store->leaveRoom(dm.room.id, m_carol.id), "forbidden", "no such room or not a member");
        TAKE(const Room dmStill, m_store->roomForUser(dm.room.id, m_alice.id));
        QCOMPARE(dmStill.members.size(), 2);

        // The owner may leave too; the room stays with its other members.
        VERIFY_OK(m_store->leaveRoom(group.id, m_alice.id));
        TAKE(const Room asBob, m_store->roomForUser(group.id, m_bob.id));
        QCOMPARE(idsOf(asBob.members), QList<Id>({m_bob.id}));
    }

    void roomForbiddenIsIndistinguishable()
    {
        TAKE(const Room bobs, m_store->createGroup(u"Private"_s, m_bob.id, {m_carol.id}, tick()));
        const Result<Room> notMember = m_store->roomForUser(bobs.id, m_alice.id);
        const Result<Room> nonexistent = m_store->roomForUser(bobs.id + 1000, m_alice.id);
        QVERIFY(!notMember.ok() && !nonexistent.ok());
        QCOMPARE(notMember.error(), nonexistent.error()); // code, message and all
        QCOMPARE(notMember.error().code, ErrorCode::Forbidden);
        QCOMPARE(notMember.error().message, u"no such room or not a member"_s);
        const Result<InsertedMessage> sendNotMember = send(bobs.id, m_alice.id, u"hi"_s, u"a-1"_s);
        const Result<InsertedMessage> sendNonexistent = send(bobs.id + 1000, m_alice.id, u"hi"_s, u"a-2"_s);
        QCOMPARE(sendNotMember.error(), sendNonexistent.error());
        QCOMPARE(m_store->markRead(bobs.id, m_alice.id, 1).error(), notMember.error());
    }

    void roomsOrderedByActivity()
    {
        TAKE(const Room r1, m_store->createGroup(u"One"_s, m_alice.id, {m_bob.id}, tick()));
        TAKE(const Room r2, m_store->createGroup(u"Two"_s, m_bob.id, {m_alice.id}, tick()));
        TAKE(const DmRoom r3, m_store->openDm(m_alice.id, m_carol.id, tick()));
        TAKE(const QList<Room> fresh, m_store->roomsForUser(m_alice.id));
        QCOMPARE(idsOf(fresh), QList<Id>({r3.room.id, r2.id, r1.id})); // newest room first

        TAKE(const InsertedMessage inOne, send(r1.id, m_bob.id, u"ping"_s, u"b-1"_s));
        TAKE(const QList<Room> afterOne, m_store->roomsForUser(m_alice.id));
        QCOMPARE(idsOf(afterOne), QList<Id>({r1.id, r3.room.id, r2.id}));
        QCOMPARE(afterOne.at(0).lastMessage, std::optional<Message>(inOne.message));
        QCOMPARE(afterOne.at(0).unreadCount, 1);
        QCOMPARE(afterOne.at(2).lastMessage, std::optional<Message>());

        TAKE(const InsertedMessage inTwo, send(r2.id, m_alice.id, u"pong"_s, u"a-1"_s));
        TAKE(const QList<Room> afterTwo, m_store->roomsForUser(m_alice.id));
        QCOMPARE(idsOf(afterTwo), QList<Id>({r2.id, r1.id, r3.room.id}));
        QCOMPARE(afterTwo.at(0).lastMessage->id, inTwo.message.id);
        QCOMPARE(afterTwo.at(0).unreadCount, 0); // her own message
        QCOMPARE(afterTwo.at(2).name, u"Carol Chen"_s);
        TAKE(const QList<Room> bobRooms, m_store->roomsForUser(m_bob.id));
        QCOMPARE(idsOf(bobRooms), QList<Id>({r2.id, r1.id}));
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreRooms)
#include "tst_store_rooms.moc"
