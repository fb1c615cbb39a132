// Groups through three ChatClients against the real server (an in-process
// TestServer, real WebSocket clients, a real database; both backends): the
// owner adds people, makes an admin, renames and sets the topic; the admin
// removes someone, whose client loses the room with a notice; ownership
// moves; and an admin deletes another member's message with the client's
// own Delete. Every change reaches the other clients as room state and as
// system lines.
#include "client_app_fixture.h"
#include "dependency.h"
#include "member_list_model.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace confab;
using namespace confab::test;
using client::ChatClient;
using client::MemberListModel;
using client::MessageListModel;
using client::RoomListModel;

namespace {

QVariant roomData(ChatClient& c, qint64 roomId, int role)
{
    RoomListModel* rooms = c.rooms()->model();
    return rooms->data(rooms->index(rooms->rowOf(Id(roomId))), role);
}

// The texts of the open room's system lines, oldest first.
QStringList systemLines(ChatClient& c)
{
    MessageListModel* model = c.conversation()->messages();
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row) {
        const QModelIndex at = model->index(row);
        if (model->data(at, MessageListModel::KindRole).toInt() == int(MessageListModel::Kind::System))
            lines << model->data(at, MessageListModel::ContentRole).toString();
    }
    return lines;
}

int rankOf(ChatClient& c, qint64 userId)
{
    MemberListModel* members = c.groups()->members();
    for (int row = 0; row < members->rowCount(); ++row) {
        if (members->userIdAt(row) == Id(userId))
            return members->data(members->index(row), MemberListModel::RankRole).toInt();
    }
    return -1;
}

} // namespace

class TestGroupsE2e : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        CONFAB_REQUIRE_TEST_BACKEND();
        ClientFixture::prepareEnvironment();
    }
    void changesReachEveryMember();
};

void TestGroupsE2e::changesReachEveryMember()
{
    TestServer server(TestServer::fastSendersConfig());
    QVERIFY(server.start());
    auto mei = server.user(QStringLiteral("Mei"));
    auto bob = server.user(QStringLiteral("Bob"));
    auto dave = server.user(QStringLiteral("Dave"));
    auto li = server.user(QStringLiteral("Li"));
    QVERIFY(mei && bob && dave && li);
    const qint64 room = createGroup(*mei, QStringLiteral("Design"), {bob->userId});
    QVERIFY(room);
    const qint64 hello = sendMessage(*bob, room, QStringLiteral("hello"));
    QVERIFY(hello);

    auto meis = ClientFixture::create(QStringLiteral("groups-e2e-mei"));
    auto bobs = ClientFixture::create(QStringLiteral("groups-e2e-bob"));
    auto daves = ClientFixture::create(QStringLiteral("groups-e2e-dave"));
    QAbstractItemModelTester tester(bobs->groups()->members(),
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(ClientFixture::signIn(*meis, server.url(), QStringLiteral("mei"), 1));
    QVERIFY(ClientFixture::signIn(*bobs, server.url(), QStringLiteral("bob"), 1));
    QVERIFY(ClientFixture::signIn(*daves, server.url(), QStringLiteral("dave"), 0));
    QVERIFY(ClientFixture::openRoom(*meis, room));
    QVERIFY(ClientFixture::openRoom(*bobs, room));

    // Roles as the server says: Mei owns, Bob is a member and may change nothing.
    client::GroupController* owner = meis->groups();
    client::GroupController* other = bobs->groups();
    QCOMPARE(owner->myRank(), MemberListModel::Rank::Owner);
    QVERIFY(owner->canEdit() && owner->canAdd() && owner->canRemove(double(bob->userId)));
    QCOMPARE(other->myRank(), MemberListModel::Rank::Member);
    QVERIFY(!other->canEdit() && !other->canAdd() && !other->canRemove(double(mei->userId)));

    // Mei adds Dave and Li: Bob's list grows, Dave's client gets the room.
    owner->addMembers(double(room), {double(dave->userId), double(li->userId)});
    QTRY_COMPARE(roomData(*bobs, room, RoomListModel::MemberCountRole).toInt(), 4);
    QTRY_COMPARE(other->members()->count(), 4);
    QTRY_VERIFY(daves->rooms()->model()->contains(Id(room)));
    QCOMPARE(roomData(*meis, room, RoomListModel::MemberCountRole).toInt(), 4);
    QTRY_COMPARE(systemLines(*bobs), QStringList{QStringLiteral("Mei added Dave and Li")});
    // A system line is never unread, not even for a room that is not open.
    QCOMPARE(roomData(*daves, room, RoomListModel::UnreadCountRole).toInt(), 0);

    // Bob is made an admin; then he may remove members, not the owner.
    owner->setRole(double(room), double(bob->userId), MemberListModel::Rank::Admin);
    QTRY_COMPARE(other->myRank(), MemberListModel::Rank::Admin);
    QCOMPARE(rankOf(*meis, bob->userId), int(MemberListModel::Rank::Admin));
    QVERIFY(other->canEdit());
    QVERIFY(other->canRemove(double(dave->userId)));
    QVERIFY(!other->canRemove(double(mei->userId)));
    QVERIFY(!other->canSetRole(double(dave->userId)));

    // Rename and topic, from Mei's client to Bob's and Dave's.
    owner->updateRoom(double(room), {{QStringLiteral("name"), QStringLiteral("Design review")},
                                     {QStringLiteral("topic"), QStringLiteral("Tuesdays at ten")}});
    QTRY_COMPARE(other->name(), QStringLiteral("Design review"));
    QTRY_COMPARE(other->topic(), QStringLiteral("Tuesdays at ten"));
    QTRY_COMPARE(roomData(*daves, room, RoomListModel::TopicRole).toString(),
                 QStringLiteral("Tuesdays at ten"));
    QTRY_COMPARE(bobs->conversation()->roomName(), QStringLiteral("Design review"));

    // Bob (admin) removes Dave: Dave's client drops the room and says why.
    other->removeMember(double(room), double(dave->userId));
    QTRY_VERIFY(!daves->rooms()->model()->contains(Id(room)));
    QCOMPARE(daves->groups()->notice(), QStringLiteral("You were removed from Design review"));
    QTRY_COMPARE(owner->members()->count(), 3);
    QCOMPARE(other->errorMessage(), QString());

    // A member may not be removed by a member: the refusal is the panel's message.
    // (Ownership moves first: Mei gives it to Bob and becomes an admin.)
    owner->transferOwnership(double(room), double(bob->userId));
    QTRY_COMPARE(other->myRank(), MemberListModel::Rank::Owner);
    QTRY_COMPARE(owner->myRank(), MemberListModel::Rank::Admin);
    QVERIFY(!owner->canRemove(double(bob->userId)));
    owner->removeMember(double(room), double(bob->userId)); // the server refuses it too
    QTRY_VERIFY(!owner->errorMessage().isEmpty());

    QTRY_COMPARE(
        systemLines(*bobs),
        (QStringList{QStringLiteral("Mei added Dave and Li"), QStringLiteral("Mei made you an admin"),
                     QStringLiteral("Mei renamed the group to “Design review”"),
                     QStringLiteral("Mei changed the topic to “Tuesdays at ten”"),
                     QStringLiteral("You removed Dave"), QStringLiteral("Mei made you the owner")}));
    QTRY_COMPARE(systemLines(*meis).last(), QStringLiteral("You made Bob the owner"));

    // Mei, now an admin, deletes Li's message with the client's Delete.
    const qint64 lis = sendMessage(*li, room, QStringLiteral("off-topic"));
    QVERIFY(lis);
    QTRY_VERIFY(meis->conversation()->messages()->rowOfMessage(Id(lis)) >= 0);
    QVERIFY(meis->composer()->actionRights(double(lis)).value(QStringLiteral("delete")).toBool());
    QVERIFY(!bobs->composer()->actionRights(double(lis)).value(QStringLiteral("edit")).toBool());
    meis->composer()->deleteMessage(double(lis));
    QTRY_VERIFY2(meis->conversation()->messages()->find(Id(lis)) &&
                     meis->conversation()->messages()->find(Id(lis))->deleted,
                 qPrintable(meis->account()->errorMessage()));
    MessageListModel* bobsView = bobs->conversation()->messages();
    QTRY_VERIFY(
        bobsView->rowOfMessage(Id(lis)) >= 0 &&
        bobsView->data(bobsView->index(bobsView->rowOfMessage(Id(lis))), MessageListModel::DeletedRole)
            .toBool());
}

QTEST_MAIN(TestGroupsE2e)
#include "tst_groups_e2e.moc"
