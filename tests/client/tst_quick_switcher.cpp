// The quick switcher (Ctrl+K): how a query matches names (Chinese, case,
// fuzzy), how rooms and people are ranked, and that the model follows the
// room list in place; plus the sidebar's Alt+Up/Down order. Every model runs
// under QAbstractItemModelTester.
#include "quick_switcher_model.h"
#include "room_list_model.h"
#include "switcher_match.h"
#include "user_directory.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace confab;
using namespace confab::client;
using Kind = QuickSwitcherModel::Kind;

namespace {

constexpr Id kMe = 1;
constexpr Id kBob = 2;
constexpr Id kWang = 3;
constexpr Id kCarol = 4;
constexpr Id kTables = 5;

QString S(const char* utf8)
{
    return QString::fromUtf8(utf8);
}

User user(Id id, const char* username, const char* displayName)
{
    User u;
    u.id = id;
    u.username = S(username);
    u.displayName = S(displayName);
    return u;
}

Room room(Id id, RoomType type, const char* name, QList<User> members, qint64 activity, int unread = 0)
{
    Room r;
    r.id = id;
    r.type = type;
    r.name = S(name);
    r.members = std::move(members);
    r.createdAt = activity;
    r.unreadCount = unread;
    return r;
}

} // namespace

class TestQuickSwitcher : public QObject {
    Q_OBJECT

private:
    UserDirectory m_users;
    RoomListModel m_rooms{&m_users};
    QuickSwitcherModel m_switcher{&m_rooms, &m_users};
    QAbstractItemModelTester m_roomsTester{&m_rooms, QAbstractItemModelTester::FailureReportingMode::QtTest};
    QAbstractItemModelTester m_tester{&m_switcher, QAbstractItemModelTester::FailureReportingMode::QtTest};

    // Rows as "kind:name" (g: group, d: DM, p: person), top to bottom.
    QStringList shown() const
    {
        QStringList rows;
        for (int row = 0; row < m_switcher.rowCount(); ++row) {
            const QModelIndex at = m_switcher.index(row);
            const auto kind = Kind(at.data(QuickSwitcherModel::KindRole).toInt());
            const QChar tag = kind == Kind::Group ? u'g' : kind == Kind::Direct ? u'd' : u'p';
            rows.append(tag + QLatin1Char(':') + at.data(QuickSwitcherModel::NameRole).toString());
        }
        return rows;
    }

private slots:
    void init()
    {
        const User me = user(kMe, "mei", "Mei");
        const User bob = user(kBob, "bob", "Bob Stone");
        m_users.clear();
        m_users.upsertAll({me, bob, user(kWang, "wang", "王小明"), user(kCarol, "carol", "Carol"),
                           user(kTables, "tables", "Bobby Tables")});
        m_rooms.setSelfUserId(kMe);
        // Row order is most recent activity first.
        m_rooms.setRooms({
            room(10, RoomType::Group, "design", {me}, 900),
            room(11, RoomType::Group, "Design review", {me}, 500, 2),
            room(12, RoomType::Group, "old designs", {me}, 400),
            room(13, RoomType::Group, "设计评审", {me}, 800),
            room(14, RoomType::Dm, "", {me, bob}, 700),
            room(15, RoomType::Group, "🎉 Party", {me}, 300, 1),
            room(16, RoomType::Group, "dev-signals", {me}, 950),
        });
        m_switcher.setQuery({});
        m_switcher.setActive(true);
    }
    void cleanup() { m_switcher.setActive(false); }

    void matchName_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("query");
        QTest::addColumn<int>("expected");
        QTest::newRow("exact, other case") << S("Design") << S("DESIGN") << int(NameMatch::Exact);
        QTest::newRow("prefix") << S("design review") << S("des") << int(NameMatch::Prefix);
        QTest::newRow("word start") << S("design review") << S("rev") << int(NameMatch::WordStart);
        QTest::newRow("word after a dash") << S("dev-signals") << S("sig") << int(NameMatch::WordStart);
        QTest::newRow("inner") << S("design") << S("sign") << int(NameMatch::Inner);
        QTest::newRow("fuzzy") << S("design review") << S("dsgn rv") << int(NameMatch::Fuzzy);
        QTest::newRow("out of order") << S("design") << S("ngised") << int(NameMatch::None);
        QTest::newRow("one letter is no fuzzy") << S("design") << S("z") << int(NameMatch::None);
        QTest::newRow("chinese substring") << S("新设计评审") << S("设计") << int(NameMatch::Inner);
        QTest::newRow("chinese prefix") << S("设计评审") << S("设计") << int(NameMatch::Prefix);
        QTest::newRow("chinese fuzzy") << S("设计评审会议") << S("设会") << int(NameMatch::Fuzzy);
        QTest::newRow("accented, folded") << S("Équipe été") << S("ÉTÉ") << int(NameMatch::WordStart);
        QTest::newRow("emoji") << S("🎉 Party") << S("🎉") << int(NameMatch::Prefix);
        QTest::newRow("emoji then word") << S("🎉 Party") << S("par") << int(NameMatch::WordStart);
    }
    void matchName()
    {
        QFETCH(QString, name);
        QFETCH(QString, query);
        QFETCH(int, expected);
        QCOMPARE(int(confab::client::matchName(name, foldForMatch(query))), expected);
    }

    void emptyQueryListsRoomsUnreadFirstThenRecent()
    {
        QCOMPARE(shown(),
                 (QStringList{S("g:Design review"), S("g:🎉 Party"), S("g:dev-signals"), S("g:design"),
                              S("g:设计评审"), S("d:Bob Stone"), S("g:old designs")}));
        // Muted: its unread messages no longer put it first.
        m_rooms.setNotifyLevel(15, NotifyLevel::None);
        QTRY_COMPARE(shown(),
                     (QStringList{S("g:Design review"), S("g:dev-signals"), S("g:design"), S("g:设计评审"),
                                  S("d:Bob Stone"), S("g:old designs"), S("g:🎉 Party")}));
        QVERIFY(m_switcher.index(6).data(QuickSwitcherModel::MutedRole).toBool());
    }

    void rankingByMatchThenUnreadThenStartThenRecent()
    {
        m_switcher.setQuery(QStringLiteral("  Design "));
        // The exact name; then the unread one (a prefix match); then a word
        // start; fuzzy last ("d-e-s-i-g-n" in order in "dev-signals").
        QCOMPARE(shown(),
                 (QStringList{S("g:design"), S("g:Design review"), S("g:old designs"), S("g:dev-signals")}));
        QCOMPARE(m_switcher.index(3).data(QuickSwitcherModel::RoomIdRole).toDouble(), 16.0);
    }

    void chineseAndEmojiNames()
    {
        m_switcher.setQuery(S("评审"));
        QCOMPARE(shown(), QStringList{S("g:设计评审")});
        m_switcher.setQuery(S("小明"));
        QCOMPARE(shown(), QStringList{S("p:王小明")});
        QCOMPARE(m_switcher.index(0).data(QuickSwitcherModel::UserIdRole).toDouble(), double(kWang));
        QCOMPARE(m_switcher.index(0).data(QuickSwitcherModel::DetailRole).toString(), S("@wang"));
        QCOMPARE(m_switcher.index(0).data(QuickSwitcherModel::RoomIdRole).toDouble(), 0.0);
        m_switcher.setQuery(S("🎉"));
        QCOMPARE(shown(), QStringList{S("g:🎉 Party")});
    }

    void peopleByNameOrUsernameAndDmsInsteadOfPeople()
    {
        // Bob has a DM: offered as the DM (by display name and @username), not as a person.
        m_switcher.setQuery(QStringLiteral("bob"));
        QCOMPARE(shown(), (QStringList{S("d:Bob Stone"), S("p:Bobby Tables")}));
        QCOMPARE(m_switcher.index(0).data(QuickSwitcherModel::DetailRole).toString(), S("@bob"));
        // "@" matches usernames only: Bobby Tables is @tables.
        m_switcher.setQuery(QStringLiteral("@bob"));
        QCOMPARE(shown(), QStringList{S("d:Bob Stone")});
        m_switcher.setQuery(QStringLiteral("@tab"));
        QCOMPARE(shown(), QStringList{S("p:Bobby Tables")});
        // Never myself.
        m_switcher.setQuery(QStringLiteral("mei"));
        QCOMPARE(shown(), QStringList{});
    }

    void followsTheRoomListInPlaceWhileActive()
    {
        m_switcher.setQuery(QStringLiteral("carol"));
        QCOMPARE(shown(), QStringList{S("p:Carol")});
        QSignalSpy resets(&m_switcher, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&m_switcher, &QAbstractItemModel::dataChanged);
        // A DM with Carol appears (started from the switcher): the person row becomes that room.
        m_rooms.upsert(room(17, RoomType::Dm, "", {m_users.user(kMe), m_users.user(kCarol)}, 1000));
        QTRY_COMPARE(shown(), QStringList{S("d:Carol")});
        QCOMPARE(m_switcher.index(0).data(QuickSwitcherModel::RoomIdRole).toDouble(), 17.0);

        // Unread moves a room up, by a move rather than a reset.
        m_switcher.setQuery(QStringLiteral("design"));
        QSignalSpy moved(&m_switcher, &QAbstractItemModel::rowsMoved);
        m_rooms.setUnreadCount(11, 0); // Design review read; old designs gets an unread message
        Message m;
        m.id = 99;
        m.roomId = 12;
        m.senderId = kBob;
        m.content = QStringLiteral("hi");
        m.createdAt = 2000;
        m.tempId = QStringLiteral("t");
        m_rooms.applyMessage(m, false);
        QTRY_COMPARE(shown(), (QStringList{S("g:design"), S("g:old designs"), S("g:Design review"),
                                           S("g:dev-signals")}));
        QVERIFY(moved.count() > 0);
        QCOMPARE(resets.count(), 0);

        // Closed: no work while nobody looks; opening again catches up.
        m_switcher.setActive(false);
        m_rooms.remove(12);
        QTest::qWait(20);
        QCOMPARE(m_switcher.rowCount(), 4);
        m_switcher.setActive(true);
        QCOMPARE(shown(), (QStringList{S("g:design"), S("g:Design review"), S("g:dev-signals")}));
    }

    void adjacentRoomFollowsTheSidebarOrder()
    {
        // Sidebar: dev-signals(16), design(10), 设计评审(13), Bob(14), Design review(11, unread),
        // old designs(12), Party(15, unread).
        QCOMPARE(m_rooms.adjacentRoom(10, +1, false), 13.0);
        QCOMPARE(m_rooms.adjacentRoom(10, -1, false), 16.0);
        QCOMPARE(m_rooms.adjacentRoom(16, -1, false), 0.0); // no wrapping
        QCOMPARE(m_rooms.adjacentRoom(15, +1, false), 0.0);
        QCOMPARE(m_rooms.adjacentRoom(0, -1, false), 16.0); // no room open: the top
        QCOMPARE(m_rooms.adjacentRoom(16, +1, true), 11.0);
        QCOMPARE(m_rooms.adjacentRoom(11, +1, true), 15.0);
        QCOMPARE(m_rooms.adjacentRoom(15, -1, true), 11.0);
        QCOMPARE(m_rooms.adjacentRoom(11, -1, true), 0.0);
        // The sidebar filtered by "DESIGN": the rooms it hides are skipped.
        const QString filter = S("DESIGN");
        QCOMPARE(m_rooms.adjacentRoom(10, +1, false, filter), 11.0); // over 设计评审 and Bob
        QCOMPARE(m_rooms.adjacentRoom(11, +1, false, filter), 12.0);
        QCOMPARE(m_rooms.adjacentRoom(12, +1, false, filter), 0.0); // Party is hidden: the end
        QCOMPARE(m_rooms.adjacentRoom(10, -1, false, filter), 0.0); // dev-signals is hidden
        QCOMPARE(m_rooms.adjacentRoom(0, +1, false, filter), 10.0);
        QCOMPARE(m_rooms.adjacentRoom(10, +1, true, filter), 11.0);
        QCOMPARE(m_rooms.adjacentRoom(11, +1, true, filter), 0.0);
    }
};

QTEST_GUILESS_MAIN(TestQuickSwitcher)
#include "tst_quick_switcher.moc"
