// The storage layer against a real database, on every backend (store_fixture.h).
// Attention (contract, second part): notify levels per member, read receipts
// and their opt-out, profiles and statuses, password changes that keep one
// session; and the change each records for delivery.
#include "store_fixture.h"

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

namespace {

QList<ChangeRecord::Kind> kindsOf(const QList<ChangeRecord>& changes)
{
    QList<ChangeRecord::Kind> kinds;
    for (const ChangeRecord& c : changes)
        kinds.append(c.kind);
    return kinds;
}

} // namespace

class TestStoreAttention : public StoreFixture {
    Q_OBJECT

private slots:
    void notifyLevels()
    {
        TAKE(const Room group, m_store->createGroup(u"team"_s, m_alice.id, {m_bob.id}, tick()));
        m_store->takeCommittedChanges();
        QCOMPARE(group.notify, NotifyLevel::All);
        VERIFY_OK(m_store->setRoomNotify(group.id, m_alice.id, NotifyLevel::None));
        const QList<ChangeRecord> changes = m_store->takeCommittedChanges();
        QCOMPARE(kindsOf(changes), QList<ChangeRecord::Kind>{ChangeRecord::Kind::RoomSettings});
        QCOMPARE(changes.first().emoji, u"none"_s);
        QCOMPARE(changes.first().userId, m_alice.id);
        TAKE(const Room alices, m_store->roomForUser(group.id, m_alice.id));
        QCOMPARE(alices.notify, NotifyLevel::None);
        TAKE(const QList<Room> bobs, m_store->roomsForUser(m_bob.id));
        QCOMPARE(bobs.first().notify, NotifyLevel::All); // per member
        // The same level again: nothing recorded.
        VERIFY_OK(m_store->setRoomNotify(group.id, m_alice.id, NotifyLevel::None));
        QVERIFY(m_store->takeCommittedChanges().isEmpty());
        // Not a member, or no such room: the same answer.
        EXPECT_ERROR(m_store->setRoomNotify(group.id, m_carol.id, NotifyLevel::Mentions), "forbidden",
                     "no such room or not a member");
        EXPECT_ERROR(m_store->setRoomNotify(987654, m_carol.id, NotifyLevel::Mentions), "forbidden",
                     "no such room or not a member");
    }

    void receiptsAndOptOut()
    {
        TAKE(const Room group, m_store->createGroup(u"team"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        const QList<Id> ids = sendAll(group.id, {m_alice.id}, {u"one"_s, u"two"_s});
        m_store->takeCommittedChanges();
        TAKE(const QList<ReceiptMarker> none, m_store->receipts(group.id, m_alice.id));
        QVERIFY(none.isEmpty()); // nobody has read anything
        VERIFY_OK(m_store->markRead(group.id, m_bob.id, ids[1]));
        VERIFY_OK(m_store->markRead(group.id, m_carol.id, ids[0]));
        QList<ChangeRecord> reads = m_store->takeCommittedChanges();
        QCOMPARE(reads.size(), 2);
        QVERIFY(reads[0].on && reads[1].on); // moved, receipts shown
        TAKE(const QList<ReceiptMarker> markers, m_store->receipts(group.id, m_alice.id));
        QCOMPARE(markers, (QList<ReceiptMarker>{{m_bob.id, ids[1]}, {m_carol.id, ids[0]}}));
        // A marker that does not move announces nothing.
        VERIFY_OK(m_store->markRead(group.id, m_bob.id, ids[0]));
        QCOMPARE(m_store->takeCommittedChanges().first().on, false);
        // Carol opts out: left out of the markers, her reads announce nothing.
        TAKE(const User carol, m_store->updateProfile(m_carol.id, ProfileChange{{}, {}, {}, false}));
        QCOMPARE(carol.sendReceipts, std::optional<bool>(false));
        const QList<ChangeRecord> updated = m_store->takeCommittedChanges();
        QCOMPARE(kindsOf(updated), QList<ChangeRecord::Kind>{ChangeRecord::Kind::UserUpdated});
        QCOMPARE(updated.first().on, false); // nothing others see changed
        VERIFY_OK(m_store->markRead(group.id, m_carol.id, ids[1]));
        QCOMPARE(m_store->takeCommittedChanges().first().on, false);
        TAKE(const QList<ReceiptMarker> withoutCarol, m_store->receipts(group.id, m_alice.id));
        QCOMPARE(withoutCarol, (QList<ReceiptMarker>{{m_bob.id, ids[1]}}));
        EXPECT_ERROR(m_store->receipts(group.id, m_ming.id), "forbidden", "no such room or not a member");
    }

    void profiles()
    {
        TAKE(const User before, m_store->updateProfile(m_bob.id, ProfileChange{}));
        QVERIFY(m_store->takeCommittedChanges().isEmpty()); // nothing changed, nothing recorded
        QCOMPARE(asSeenByOthers(before), m_bob);
        TAKE(const User bob,
             m_store->updateProfile(m_bob.id,
                                    ProfileChange{u"Robert 王"_s, u"in Berlin"_s, UserStatus::Dnd, {}}));
        QCOMPARE(bob.displayName, u"Robert 王"_s);
        QCOMPARE(bob.status, UserStatus::Dnd);
        QCOMPARE(bob.sendReceipts, std::optional<bool>(true));
        const QList<ChangeRecord> changes = m_store->takeCommittedChanges();
        QCOMPARE(changes.size(), 1);
        QVERIFY(changes.first().on);
        QCOMPARE(changes.first().user, std::optional<User>(bob));
        // Everyone reads the new profile: by id, in search (by the new name), as a member.
        TAKE(const User byId, m_store->userById(m_bob.id));
        QCOMPARE(byId, asSeenByOthers(bob));
        TAKE(const QList<User> found, m_store->searchUsers(u"rober"_s, {}, 10));
        QCOMPARE(idsOf(found), QList<Id>{m_bob.id});
        QCOMPARE(found.first().statusText, u"in Berlin"_s);
        TAKE(const QList<StatusEntry> statuses, m_store->userStatuses());
        QCOMPARE(statuses.size(), 1);
        QCOMPARE(statuses.first().userId, m_bob.id);
        QCOMPARE(statuses.first().status, UserStatus::Dnd);
        EXPECT_ERROR(m_store->updateProfile(9999, ProfileChange{}), "not_found", "no such user");
    }

    void passwordChangeKeepsOneSession()
    {
        const QByteArray kept(32, 'k'), other(32, 'o');
        VERIFY_OK(m_store->insertToken(kept, m_alice.id, kT0, kT0 + 60'000));
        VERIFY_OK(m_store->insertToken(other, m_alice.id, kT0, kT0 + 60'000));
        TAKE(const Credentials credentials, m_store->credentialsById(m_alice.id));
        QCOMPARE(asSeenByOthers(credentials.user), m_alice);
        m_store->takeCommittedChanges();
        // Over a hash that is no longer the user's: refused, nothing revoked.
        EXPECT_ERROR(m_store->changePassword(m_alice.id, "stale", "new", kept), "invalid_credentials",
                     "the old password is wrong");
        VERIFY_OK(m_store->userForToken(other, kT0 + 1));
        VERIFY_OK(m_store->changePassword(m_alice.id, credentials.passwordHash, "new-hash", kept));
        const QList<ChangeRecord> changes = m_store->takeCommittedChanges();
        QCOMPARE(kindsOf(changes), QList<ChangeRecord::Kind>{ChangeRecord::Kind::PasswordChanged});
        QCOMPARE(changes.first().emoji, QString::fromLatin1(kept.toHex()));
        VERIFY_OK(m_store->userForToken(kept, kT0 + 1));
        EXPECT_ERROR(m_store->userForToken(other, kT0 + 1), "invalid_credentials",
                     "invalid or expired token");
        TAKE(const Credentials after, m_store->credentialsById(m_alice.id));
        QCOMPARE(after.passwordHash, QByteArray("new-hash"));
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreAttention)
#include "tst_store_attention.moc"
