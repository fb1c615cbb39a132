// The storage layer's administration, on every backend (store_fixture.h):
// disabling accounts and resetting passwords (tokens revoked, the change
// recorded for running servers), account and room listings, invite codes.

#include "store_fixture.h"

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

class TestStoreAdmin : public StoreFixture {
    Q_OBJECT

private slots:
    void disableRevokesTokensAndRecordsTheChange()
    {
        TAKE(const qint64 start, m_store->newestChangeId());
        TAKE(const QList<LoggedChange> before, m_store->changesAfter(start, 100));
        QCOMPARE(before.size(), 0);
        m_store->setChangeOrigin(u"admin-test"_s); // as confab-server admin does
        const QByteArray token = QByteArray(32, '\x01');
        VERIFY_OK(m_store->insertToken(token, m_bob.id, kT0, kT0 + 3'600'000));

        VERIFY_OK(m_store->setUserDisabled(m_bob.id, true, kT0 + 5));
        TAKE(const Credentials disabled, m_store->credentialsByUsername(u"BOB"_s));
        QVERIFY(disabled.disabled);
        EXPECT_ERROR(m_store->userForToken(token, kT0 + 10), "invalid_credentials",
                     "invalid or expired token");
        TAKE(const QList<UserAccount> accounts, m_store->listAccounts());
        QCOMPARE(accounts.size(), 4);
        QCOMPARE(accounts.at(1).user, m_bob);
        QVERIFY(accounts.at(1).disabled);
        QCOMPARE(accounts.at(1).disabledAt, kT0 + 5);
        QCOMPARE(accounts.at(1).createdAt, m_bob.lastSeenAt);
        QVERIFY(!accounts.at(0).disabled);
        QCOMPARE(accounts.at(0).disabledAt, 0);

        // Disabling again keeps the first time; enabling clears it. Tokens stay revoked.
        VERIFY_OK(m_store->setUserDisabled(m_bob.id, true, kT0 + 99));
        TAKE(const QList<UserAccount> again, m_store->listAccounts());
        QCOMPARE(again.at(1).disabledAt, kT0 + 5);
        VERIFY_OK(m_store->setUserDisabled(m_bob.id, false, kT0 + 100));
        TAKE(const Credentials enabled, m_store->credentialsByUsername(u"bob"_s));
        QVERIFY(!enabled.disabled);
        EXPECT_ERROR(m_store->userForToken(token, kT0 + 10), "invalid_credentials",
                     "invalid or expired token");
        EXPECT_ERROR(m_store->setUserDisabled(9999, true, kT0), "not_found", "no such user");

        // A new password revokes the tokens too.
        const QByteArray aliceToken = QByteArray(32, '\x02');
        VERIFY_OK(m_store->insertToken(aliceToken, m_alice.id, kT0, kT0 + 3'600'000));
        VERIFY_OK(m_store->setPasswordHash(m_alice.id, "$argon2id$new"));
        TAKE(const Credentials alice, m_store->credentialsByUsername(u"alice"_s));
        QCOMPARE(alice.passwordHash, QByteArray("$argon2id$new"));
        EXPECT_ERROR(m_store->userForToken(aliceToken, kT0 + 10), "invalid_credentials",
                     "invalid or expired token");
        EXPECT_ERROR(m_store->setPasswordHash(9999, "x"), "not_found", "no such user");

        // What a single server polls through the change log's door: both
        // disables and the reset, in order, named after the admin.
        TAKE(const QList<LoggedChange> changes, m_store->changesAfter(start, 100));
        QCOMPARE(changes.size(), 3);
        QCOMPARE(changes.at(0).change.kind, ChangeRecord::Kind::UserDisabled);
        QCOMPARE(changes.at(0).change.userId, m_bob.id);
        QCOMPARE(changes.at(2).change.kind, ChangeRecord::Kind::CredentialsChanged);
        QCOMPARE(changes.at(2).change.userId, m_alice.id);
        QCOMPARE(changes.at(0).origin, u"admin-test"_s);
        QVERIFY(changes.at(0).eventId > start && changes.at(1).eventId > changes.at(0).eventId);
        TAKE(const QList<LoggedChange> none, m_store->changesAfter(changes.last().eventId, 100));
        QCOMPARE(none.size(), 0);
        TAKE(const qint64 newest, m_store->newestChangeId());
        QCOMPARE(newest, changes.last().eventId);
        // A page, and the rows by id (what a reader skipped over).
        TAKE(const QList<LoggedChange> first, m_store->changesAfter(start, 1));
        QCOMPARE(first.size(), 1);
        TAKE(const QList<LoggedChange> byId, m_store->changesWithIds({changes.at(2).eventId, changes.at(0).eventId}));
        QCOMPARE(byId.size(), 2);
        QCOMPARE(byId.at(0).eventId, changes.at(0).eventId);
        QCOMPARE(byId.at(1).change.kind, ChangeRecord::Kind::CredentialsChanged);
    }

    void roomSummaries()
    {
        TAKE(const Room team,
             m_store->createGroup(u"Team 团队"_s, m_alice.id, {m_bob.id, m_carol.id}, tick()));
        TAKE(const DmRoom dm, m_store->openDm(m_alice.id, m_ming.id, tick()));
        sendAll(team.id, {m_alice.id, m_bob.id}, {u"one"_s, u"two"_s, u"three"_s});
        TAKE(const QList<RoomSummary> rooms, m_store->listRoomSummaries());
        QCOMPARE(rooms.size(), 2);
        QCOMPARE(rooms.at(0).id, team.id);
        QCOMPARE(rooms.at(0).type, RoomType::Group);
        QCOMPARE(rooms.at(0).name, u"Team 团队"_s);
        QCOMPARE(rooms.at(0).memberCount, 3);
        QCOMPARE(rooms.at(0).messageCount, 3);
        QVERIFY(rooms.at(0).lastActivityAt > team.createdAt);
        QCOMPARE(rooms.at(1).id, dm.room.id);
        QCOMPARE(rooms.at(1).type, RoomType::Dm);
        QCOMPARE(rooms.at(1).memberCount, 2);
        QCOMPARE(rooms.at(1).messageCount, 0);
        QCOMPARE(rooms.at(1).lastActivityAt, dm.room.createdAt); // no message: its creation
    }

    void invites()
    {
        const QByteArray code = QByteArray(32, '\x11');
        TAKE(const Invite twice, m_store->createInvite(code, u"abcdef"_s, 2, kT0 + 60'000, kT0));
        QVERIFY(twice.id > 0);
        EXPECT_ERROR(m_store->createInvite(code, u"abcdef"_s, 1, {}, kT0), "conflict",
                     "the invite code exists");
        TAKE(const Invite neverExpiring,
             m_store->createInvite(QByteArray(32, '\x22'), u"ghijkl"_s, 1, {}, kT0));

        TAKE(const User dora, m_store->createInvitedUser(u"dora"_s, u"Dora"_s, "h", code, kT0 + 1));
        QVERIFY(dora.id > 0);
        // A taken name does not use the invite up.
        EXPECT_ERROR(m_store->createInvitedUser(u"DORA"_s, u"x"_s, "h", code, kT0 + 2), "conflict",
                     "username is already taken");
        TAKE(const User eve, m_store->createInvitedUser(u"eve"_s, u"Eve"_s, "h", code, kT0 + 3));
        EXPECT_ERROR(m_store->createInvitedUser(u"fay"_s, u"Fay"_s, "h", code, kT0 + 4), "forbidden",
                     "the invite code has been used up");
        EXPECT_ERROR(m_store->createInvitedUser(u"fay"_s, u"Fay"_s, "h", QByteArray(32, '\x33'), kT0),
                     "forbidden", "unknown invite code");
        EXPECT_ERROR(m_store->credentialsByUsername(u"fay"_s), "not_found", "no such user");

        TAKE(const Invite expiring,
             m_store->createInvite(QByteArray(32, '\x44'), u"mnopqr"_s, 5, kT0 + 10, kT0));
        EXPECT_ERROR(m_store->createInvitedUser(u"fay"_s, u"Fay"_s, "h", QByteArray(32, '\x44'), kT0 + 10),
                     "forbidden", "the invite code has expired");

        VERIFY_OK(m_store->revokeInvite(QByteArray(32, '\x22')));
        EXPECT_ERROR(m_store->revokeInvite(QByteArray(32, '\x55')), "not_found", "no such invite");
        EXPECT_ERROR(m_store->createInvitedUser(u"fay"_s, u"Fay"_s, "h", QByteArray(32, '\x22'), kT0),
                     "forbidden", "the invite code was revoked");

        TAKE(const QList<Invite> all, m_store->listInvites());
        QCOMPARE(all.size(), 3);
        QCOMPARE(all.at(0).id, twice.id);
        QCOMPARE(all.at(0).hint, u"abcdef"_s);
        QCOMPARE(all.at(0).uses, 2);
        QCOMPARE(all.at(0).maxUses, 2);
        QCOMPARE(all.at(0).expiresAt, std::optional<qint64>(kT0 + 60'000));
        QCOMPARE(all.at(1).id, neverExpiring.id);
        QCOMPARE(all.at(1).expiresAt, std::optional<qint64>());
        QVERIFY(all.at(1).revoked);
        QCOMPARE(all.at(1).uses, 0);
        QCOMPARE(all.at(2).id, expiring.id);
        QVERIFY(!all.at(2).revoked);
        QCOMPARE(all.at(2).createdAt, kT0);
        QCOMPARE(eve.username, u"eve"_s);
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreAdmin)
#include "tst_store_admin.moc"
