// Groups in the client without a server: the system lines' text for every
// action, the rights matrix the panel offers by, the member list's order
// and in-place changes (under QAbstractItemModelTester), and the room list's
// group fields (topic, my role, a system line never unread).
#include "group_rights.h"
#include "member_list_model.h"
#include "room_list_model.h"
#include "system_text.h"
#include "user_directory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;

namespace {

constexpr Id kMei = 1, kBob = 2, kDave = 3, kLi = 4;

User person(Id id, const QString& name, std::optional<MemberRole> role = std::nullopt)
{
    User u;
    u.id = id;
    u.username = name.toLower();
    u.displayName = name;
    u.role = role;
    return u;
}

QString nameOf(Id id)
{
    switch (id) {
    case kMei:
        return QStringLiteral("Mei");
    case kBob:
        return QStringLiteral("Bob");
    case kDave:
        return QStringLiteral("Dave");
    case kLi:
        return QStringLiteral("Li");
    }
    return QStringLiteral("user %1").arg(id);
}

SystemInfo info(SystemAction action, Id actor, QList<Id> users = {})
{
    SystemInfo s;
    s.action = action;
    s.actorId = actor;
    s.userIds = users;
    return s;
}

Room group(Id id, QList<User> members)
{
    Room r;
    r.id = id;
    r.type = RoomType::Group;
    r.name = QStringLiteral("Design");
    r.members = members;
    r.ownerId = kMei;
    return r;
}

QStringList names(std::initializer_list<const char*> list)
{
    QStringList out;
    for (const char* name : list)
        out << QString::fromUtf8(name);
    return out;
}

QStringList namesIn(const MemberListModel& model)
{
    QStringList names;
    for (int row = 0; row < model.rowCount(); ++row)
        names << model.data(model.index(row), MemberListModel::NameRole).toString();
    return names;
}

} // namespace

class TestGroupModels : public QObject {
    Q_OBJECT
private slots:
    void systemLines_data();
    void systemLines();
    void joinNames();
    void rightsMatrix_data();
    void rightsMatrix();
    void memberOrderAndChanges();
    void roomListGroupFields();
};

void TestGroupModels::systemLines_data()
{
    QTest::addColumn<SystemInfo>("system");
    QTest::addColumn<Id>("self");
    QTest::addColumn<QString>("text");

    QTest::newRow("added two") << info(SystemAction::MemberAdded, kMei, {kDave, kLi}) << kBob
                               << QStringLiteral("Mei added Dave and Li");
    QTest::newRow("added three") << info(SystemAction::MemberAdded, kMei, {kDave, kLi, kBob}) << Id(99)
                                 << QStringLiteral("Mei added Dave, Li and Bob");
    QTest::newRow("added me") << info(SystemAction::MemberAdded, kMei, {kBob}) << kBob
                              << QStringLiteral("Mei added you");
    QTest::newRow("joined") << info(SystemAction::MemberAdded, kDave, {kDave}) << kBob
                            << QStringLiteral("Dave joined");
    QTest::newRow("removed") << info(SystemAction::MemberRemoved, kBob, {kDave}) << kMei
                             << QStringLiteral("Bob removed Dave");
    QTest::newRow("I removed") << info(SystemAction::MemberRemoved, kBob, {kDave}) << kBob
                               << QStringLiteral("You removed Dave");
    QTest::newRow("left") << info(SystemAction::MemberLeft, kDave) << kMei << QStringLiteral("Dave left");
    SystemInfo admin = info(SystemAction::RoleChanged, kMei, {kBob});
    admin.role = MemberRole::Admin;
    QTest::newRow("made admin") << admin << kDave << QStringLiteral("Mei made Bob an admin");
    SystemInfo member = admin;
    member.role = MemberRole::Member;
    QTest::newRow("unmade admin") << member << kDave << QStringLiteral("Mei removed Bob as admin");
    QTest::newRow("role without role") << info(SystemAction::RoleChanged, kMei, {kBob}) << kDave
                                       << QStringLiteral("Mei changed the role of Bob");
    QTest::newRow("owner") << info(SystemAction::OwnerChanged, kMei, {kBob}) << kDave
                           << QStringLiteral("Mei made Bob the owner");
    QTest::newRow("made me owner") << info(SystemAction::OwnerChanged, kMei, {kBob}) << kBob
                                   << QStringLiteral("Mei made you the owner");
    SystemInfo renamed = info(SystemAction::Renamed, kBob);
    renamed.name = QStringLiteral("<b>x</b>\nline");
    QTest::newRow("renamed, markup stays text")
        << renamed << kMei << QStringLiteral("Bob renamed the group to “<b>x</b> line”");
    SystemInfo topic = info(SystemAction::TopicChanged, kBob);
    topic.topic = QStringLiteral("y");
    QTest::newRow("topic") << topic << kMei << QStringLiteral("Bob changed the topic to “y”");
    topic.topic = QString();
    QTest::newRow("topic removed") << topic << kMei << QStringLiteral("Bob removed the topic");
    QTest::newRow("pinned") << info(SystemAction::Pinned, kMei) << kBob
                            << QStringLiteral("Mei pinned a message");
    QTest::newRow("unpinned") << info(SystemAction::Unpinned, kMei) << kMei
                              << QStringLiteral("You unpinned a message");
    QTest::newRow("created") << info(SystemAction::Created, kMei) << kBob
                             << QStringLiteral("Mei created the group");
}

void TestGroupModels::systemLines()
{
    QFETCH(SystemInfo, system);
    QFETCH(Id, self);
    QFETCH(QString, text);
    QCOMPARE(systemText(system, self, nameOf), text);
}

void TestGroupModels::joinNames()
{
    QCOMPARE(client::joinNames({}), QString());
    QCOMPARE(client::joinNames({QStringLiteral("A")}), QStringLiteral("A"));
    QCOMPARE(client::joinNames({QStringLiteral("A"), QStringLiteral("B")}), QStringLiteral("A and B"));
}

// docs/protocol.md, "Who may do what": owner removes anyone else, admin
// removes members only; set_role and transfer_ownership are the owner's.
void TestGroupModels::rightsMatrix_data()
{
    QTest::addColumn<int>("mine"); // -1: not a member
    QTest::addColumn<int>("theirs");
    QTest::addColumn<bool>("remove");
    QTest::addColumn<bool>("setRole");
    QTest::addColumn<bool>("edit");
    const int owner = int(MemberRole::Owner), admin = int(MemberRole::Admin),
              member = int(MemberRole::Member);
    QTest::newRow("owner/admin") << owner << admin << true << true << true;
    QTest::newRow("owner/member") << owner << member << true << true << true;
    QTest::newRow("admin/owner") << admin << owner << false << false << true;
    QTest::newRow("admin/admin") << admin << admin << false << false << true;
    QTest::newRow("admin/member") << admin << member << true << false << true;
    QTest::newRow("member/member") << member << member << false << false << false;
    QTest::newRow("member/owner") << member << owner << false << false << false;
    QTest::newRow("outsider/member") << -1 << member << false << false << false;
}

void TestGroupModels::rightsMatrix()
{
    QFETCH(int, mine);
    QFETCH(int, theirs);
    QFETCH(bool, remove);
    QFETCH(bool, setRole);
    QFETCH(bool, edit);
    const std::optional<MemberRole> me = mine < 0 ? std::nullopt : std::optional(MemberRole(mine));
    const auto them = std::optional(MemberRole(theirs));
    QCOMPARE(rights::canRemove(RoomType::Group, me, kMei, kBob, them), remove);
    QCOMPARE(rights::canSetRole(RoomType::Group, me, kMei, kBob, them), setRole);
    QCOMPARE(rights::canTransfer(RoomType::Group, me, kMei, kBob, them), setRole);
    QCOMPARE(rights::canEdit(RoomType::Group, me), edit);
    QCOMPARE(rights::canAdd(RoomType::Group, me), edit);
    // Never oneself, never in a DM.
    QVERIFY(!rights::canRemove(RoomType::Group, me, kMei, kMei, me));
    QVERIFY(!rights::canSetRole(RoomType::Group, me, kMei, kMei, me));
    QVERIFY(!rights::canRemove(RoomType::Dm, me, kMei, kBob, them));
    QVERIFY(!rights::canEdit(RoomType::Dm, me));
    QVERIFY(!rights::canLeave(RoomType::Dm));
    QVERIFY(rights::canLeave(RoomType::Group));
}

void TestGroupModels::memberOrderAndChanges()
{
    UserDirectory users;
    MemberListModel model(&users);
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.roleNames().contains(MemberListModel::UserIdRole));
    QCOMPARE(int(MemberListModel::UserIdRole), Qt::UserRole + 1);

    Room room = group(7, {person(kLi, QStringLiteral("Li"), MemberRole::Member),
                          person(kBob, QStringLiteral("Bob"), MemberRole::Member),
                          person(kDave, QStringLiteral("Dave"), MemberRole::Admin),
                          person(kMei, QStringLiteral("Mei"), MemberRole::Owner)});
    users.upsertAll(room.members);
    model.setRoom(room, kBob);
    QCOMPARE(namesIn(model), names({"Mei", "Dave", "Bob", "Li"}));
    QCOMPARE(model.data(model.index(0), MemberListModel::RankLabelRole).toString(), QStringLiteral("Owner"));
    QCOMPARE(model.data(model.index(1), MemberListModel::RankLabelRole).toString(), QStringLiteral("Admin"));
    QCOMPARE(model.data(model.index(2), MemberListModel::RankLabelRole).toString(), QString());
    QVERIFY(model.data(model.index(2), MemberListModel::IsSelfRole).toBool());

    // Bob is made an admin: his row moves up among the admins, in place.
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy moves(&model, &QAbstractItemModel::rowsMoved);
    room.members[1].role = MemberRole::Admin;
    model.setRoom(room, kBob);
    QCOMPARE(namesIn(model), names({"Mei", "Bob", "Dave", "Li"}));
    QCOMPARE(moves.size(), 1);
    QCOMPARE(model.data(model.index(1), MemberListModel::RankRole).toInt(),
             int(MemberListModel::Rank::Admin));

    // Li leaves, Ann joins as a member; presence follows the directory.
    room.members.removeAt(0);
    room.members.append(person(5, QStringLiteral("Ann"), MemberRole::Member));
    users.upsert(room.members.last());
    model.setRoom(room, kBob);
    QCOMPARE(namesIn(model), names({"Mei", "Bob", "Dave", "Ann"}));
    QCOMPARE(model.count(), 4);
    users.setPresence(5, true, 0);
    QVERIFY(model.data(model.index(3), MemberListModel::OnlineRole).toBool());
    // A rename re-sorts: Dave becomes "Aaron", first among the admins.
    users.upsert(person(kDave, QStringLiteral("Aaron")));
    QCOMPARE(namesIn(model), names({"Mei", "Aaron", "Bob", "Ann"}));
    QCOMPARE(resets.size(), 0);

    // Another room: its own people.
    model.setRoom(group(8, {person(kLi, QStringLiteral("Li"), MemberRole::Owner)}), kBob);
    QCOMPARE(namesIn(model), names({"Li"}));
}

void TestGroupModels::roomListGroupFields()
{
    UserDirectory users;
    RoomListModel rooms(&users);
    QAbstractItemModelTester tester(&rooms, QAbstractItemModelTester::FailureReportingMode::QtTest);
    rooms.setSelfUserId(kBob);
    Room room = group(7, {person(kMei, QStringLiteral("Mei"), MemberRole::Owner),
                          person(kBob, QStringLiteral("Bob"), MemberRole::Member)});
    room.topic = QStringLiteral("Tuesdays");
    rooms.setRooms({room});
    const QModelIndex row = rooms.index(0);
    QCOMPARE(rooms.data(row, RoomListModel::TopicRole).toString(), QStringLiteral("Tuesdays"));
    QCOMPARE(rooms.data(row, RoomListModel::MyRankRole).toInt(), int(MemberListModel::Rank::Member));
    QCOMPARE(rooms.data(row, RoomListModel::OwnerIdRole).toDouble(), double(kMei));

    // A system line is the preview, never unread; a text from Mei is.
    Message line;
    line.id = 10;
    line.roomId = 7;
    line.senderId = kMei;
    line.kind = MessageKind::System;
    line.system = info(SystemAction::MemberAdded, kMei, {kDave});
    line.createdAt = 1000;
    users.upsert(person(kDave, QStringLiteral("Dave")));
    rooms.applyMessage(line, false);
    QCOMPARE(rooms.data(row, RoomListModel::UnreadCountRole).toInt(), 0);
    QCOMPARE(rooms.data(row, RoomListModel::LastMessageTextRole).toString(),
             QStringLiteral("Mei added Dave"));
    QCOMPARE(rooms.data(row, RoomListModel::LastSenderNameRole).toString(), QString());
    Message text = line;
    text.id = 11;
    text.kind = MessageKind::Text;
    text.system.reset();
    text.content = QStringLiteral("welcome");
    rooms.applyMessage(text, false);
    QCOMPARE(rooms.data(row, RoomListModel::UnreadCountRole).toInt(), 1);

    // member_joined and room_updated (Bob made an admin).
    rooms.addMember(7, person(kDave, QStringLiteral("Dave"), MemberRole::Member));
    QCOMPARE(rooms.data(row, RoomListModel::MemberCountRole).toInt(), 3);
    room = rooms.room(7);
    room.members[1].role = MemberRole::Admin;
    rooms.upsert(room);
    QCOMPARE(rooms.data(row, RoomListModel::MyRankRole).toInt(), int(MemberListModel::Rank::Admin));
}

QTEST_GUILESS_MAIN(TestGroupModels)
#include "tst_group_models.moc"
