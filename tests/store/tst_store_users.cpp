// The storage layer against a real database, on every backend (store_fixture.h). Users and session tokens:
// case-insensitive unique names beyond ASCII, binary token hashes, expiry, revocation and the user search.

#include "store_fixture.h"

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

class TestStoreUsers : public StoreFixture {
    Q_OBJECT

private slots:
    void users()
    {
        QVERIFY(m_alice.id > 0 && m_bob.id > m_alice.id);
        QCOMPARE(m_alice.username, u"alice"_s);
        QCOMPARE(m_alice.displayName, u"Alice Liddell"_s);
        QCOMPARE(m_alice.lastSeenAt, kT0 + 1000); // createUser sets last seen = now
        QCOMPARE(m_alice.online, false);
        TAKE(const User byId, m_store->userById(m_bob.id));
        QCOMPARE(byId, m_bob);
        EXPECT_ERROR(m_store->userById(9999), "not_found", "no such user");

        // Unique case-insensitively, also beyond ASCII.
        EXPECT_ERROR(addUser(u"ALICE"_s, u"Another Alice"_s), "conflict", "username is already taken");
        TAKE(const User emile, addUser(u"Émile"_s, u"Émile Zola"_s));
        EXPECT_ERROR(addUser(u"éMILE"_s, u"Copy"_s), "conflict", "username is already taken");
        EXPECT_ERROR(addUser(u"小明"_s, u"Copy"_s), "conflict", "username is already taken");

        TAKE(const Credentials credentials, m_store->credentialsByUsername(u"ÉMILE"_s));
        QCOMPARE(asSeenByOthers(credentials.user), emile);
        QCOMPARE(credentials.user.sendReceipts, std::optional<bool>(true)); // the user's own copy
        QCOMPARE(credentials.user.username, u"Émile"_s);                    // stored as registered
        QCOMPARE(credentials.passwordHash, "$argon2id$v=19$m=19456,t=2,p=1$" + u"Émile"_s.toUtf8());
        QCOMPARE(credentials.disabled, false);
        EXPECT_ERROR(m_store->credentialsByUsername(u"nobody"_s), "not_found", "no such user");

        VERIFY_OK(m_store->setLastSeen(m_bob.id, kT0 + 777'000));
        TAKE(const User seen, m_store->userById(m_bob.id));
        QCOMPARE(seen.lastSeenAt, kT0 + 777'000);
        EXPECT_ERROR(m_store->setLastSeen(9999, kT0), "not_found", "no such user");
        // A batch (the server's sign-in bursts): one transaction, a missing user skipped.
        VERIFY_OK(m_store->setLastSeen({{m_alice.id, kT0 + 1'000}, {9999, kT0}, {m_bob.id, kT0 + 2'000}}));
        TAKE(const User aliceSeen, m_store->userById(m_alice.id));
        TAKE(const User bobSeen, m_store->userById(m_bob.id));
        QCOMPARE(aliceSeen.lastSeenAt, kT0 + 1'000);
        QCOMPARE(bobSeen.lastSeenAt, kT0 + 2'000);
        VERIFY_OK(m_store->setLastSeen(QList<QPair<Id, qint64>>()));

        AdminConnection admin(m_url);
        QVERIFY(admin.exec(u"UPDATE users SET disabled = 1 WHERE id = ?"_s, {emile.id}));
        TAKE(const Credentials disabled, m_store->credentialsByUsername(u"émile"_s));
        QCOMPARE(disabled.disabled, true);
    }

    void tokens()
    {
        const QByteArray aliceToken = QByteArray(32, '\xa1');
        const QByteArray aliceOther = QByteArray(32, '\x00') + "x"; // binary, with NUL bytes
        const QByteArray bobToken = QByteArray(32, '\xb0');
        VERIFY_OK(m_store->insertToken(aliceToken, m_alice.id, kT0, kT0 + 60'000));
        VERIFY_OK(m_store->insertToken(aliceOther, m_alice.id, kT0, kT0 + 60'000));
        VERIFY_OK(m_store->insertToken(bobToken, m_bob.id, kT0, kT0 + 120'000));
        EXPECT_ERROR(m_store->insertToken(QByteArray(32, 'z'), 9999, kT0, kT0 + 1), "not_found",
                     "no such user");

        TAKE(const User alice, m_store->userForToken(aliceToken, kT0 + 59'999));
        QCOMPARE(asSeenByOthers(alice), m_alice);
        QCOMPARE(alice.sendReceipts, std::optional<bool>(true));
        TAKE(const User aliceAgain, m_store->userForToken(aliceOther, kT0 + 1));
        QCOMPARE(asSeenByOthers(aliceAgain), m_alice);
        EXPECT_ERROR(m_store->userForToken(aliceToken, kT0 + 60'000), "invalid_credentials",
                     "invalid or expired token");
        EXPECT_ERROR(m_store->userForToken(QByteArray(32, '\xa2'), kT0), "invalid_credentials",
                     "invalid or expired token");

        VERIFY_OK(m_store->revokeToken(aliceToken));
        EXPECT_ERROR(m_store->userForToken(aliceToken, kT0 + 1), "invalid_credentials",
                     "invalid or expired token");
        VERIFY_OK(m_store->revokeToken(QByteArray(32, '\xee'))); // unknown: nothing to do
        TAKE(const User stillValid,
             m_store->userForToken(aliceOther, kT0 + 2)); // only that token was revoked
        QCOMPARE(stillValid.id, m_alice.id);
        TAKE(const User bob, m_store->userForToken(bobToken, kT0 + 119'999));
        QCOMPARE(asSeenByOthers(bob), m_bob);

        AdminConnection admin(m_url);
        QVERIFY(admin.exec(u"UPDATE users SET disabled = 1 WHERE id = ?"_s, {m_bob.id}));
        EXPECT_ERROR(m_store->userForToken(bobToken, kT0 + 1), "invalid_credentials",
                     "invalid or expired token");
    }

    void searchUsers()
    {
        TAKE(const User alfa, addUser(u"alfa"_s, u"Alfa Romeo"_s));
        TAKE(const User alEx, addUser(u"al_ex"_s, u"Alex Under"_s));
        TAKE(const User zola, addUser(u"zola"_s, u"Émile Zola"_s));
        TAKE(const User percent, addUser(u"pct"_s, u"100% Real"_s));
        TAKE(const User thousand, addUser(u"club"_s, u"1000 Club"_s));
        const auto search = [this](const QString& query, std::optional<Id> room = {}, int limit = 20) {
            Result<QList<User>> users = m_store->searchUsers(query, room, limit);
            return users ? idsOf(users.value()) : QList<Id>({-1});
        };
        // Prefix, case-insensitive, ordered by username ("al_ex" < "alfa" < "alice").
        QCOMPARE(search(u"AL"_s), QList<Id>({alEx.id, alfa.id, m_alice.id}));
        QCOMPARE(search(u"  al  "_s), QList<Id>({alEx.id, alfa.id, m_alice.id})); // trimmed
        // Display names too; a prefix, not a substring.
        QCOMPARE(search(u"bob w"_s), QList<Id>({m_bob.id}));
        QCOMPARE(search(u"wang"_s), QList<Id>());
        // Unicode folding; no accent stripping.
        QCOMPARE(search(u"émi"_s), QList<Id>({zola.id}));
        QCOMPARE(search(u"ÉMI"_s), QList<Id>({zola.id}));
        QCOMPARE(search(u"emi"_s), QList<Id>());
        QCOMPARE(search(u"王"_s), QList<Id>({m_ming.id}));
        QCOMPARE(search(u"小"_s), QList<Id>({m_ming.id}));
        // LIKE wildcards are literal.
        QCOMPARE(search(u"al_"_s), QList<Id>({alEx.id}));
        QCOMPARE(search(u"100%"_s), QList<Id>({percent.id}));
        QCOMPARE(search(u"10"_s), QList<Id>({thousand.id, percent.id}));
        QCOMPARE(search(u"%"_s), QList<Id>());
        QCOMPARE(search(u"_"_s), QList<Id>());
        QCOMPARE(search(u"\\"_s), QList<Id>());
        // Empty query lists users by username; limit applies.
        QCOMPARE(search(QString(), {}, 3), QList<Id>({alEx.id, alfa.id, m_alice.id}));
        TAKE(const QList<User> all, m_store->searchUsers(QString(), {}, 100));
        QCOMPARE(all.size(), 9);
        QCOMPARE(all.last(), m_ming); // "小明" sorts after the Latin names
        QCOMPARE(all.first().online, false);

        // roomId: members only.
        TAKE(const Room team, m_store->createGroup(u"Team"_s, m_bob.id, {m_alice.id, alfa.id}, tick()));
        QCOMPARE(search(u"al"_s, team.id), QList<Id>({alfa.id, m_alice.id}));
        QCOMPARE(search(QString(), team.id), QList<Id>({alfa.id, m_alice.id, m_bob.id}));
        QCOMPARE(search(u"carol"_s, team.id), QList<Id>());
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreUsers)
#include "tst_store_users.moc"
