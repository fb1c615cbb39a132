// Signing in safely, on every backend (store_fixture.h), issue 12: usernames
// stored in NFC and unique by their NFKC + case-folded key (and the migration
// that brings old rows to it), token issue that re-checks the credentials in
// its own transaction (also against a reset committing concurrently), the
// checks register makes before hashing, token pruning, and database files
// for the server's user only.

#include "store_fixture.h"

#include "protocol/validation.h"
#include "store/sqlite_migrations.h"

#include <QFileInfo>
#include <QRegularExpression>

#include <optional>
#include <sys/stat.h>

using namespace confab;
using namespace confab::server;
using namespace confab::test;
using namespace Qt::StringLiterals;

namespace {

// addUser()'s stored hash for a username (store_fixture.cpp).
QByteArray fixtureHash(const QString& username)
{
    return "$argon2id$v=19$m=19456,t=2,p=1$" + username.toUtf8();
}

int modeOf(const QString& path)
{
    struct stat info {};
    if (::stat(QFile::encodeName(path).constData(), &info) != 0)
        return -1;
    return int(info.st_mode & 0777);
}

} // namespace

class TestStoreSessions : public StoreFixture {
    Q_OBJECT

public:
    TestStoreSessions() { m_backendIndependent = QStringList{u"databaseFilesAreOwnerOnly"_s}; }

private slots:
    void usernamesAreStoredInNfcAndUniqueByKey()
    {
        // "e" + U+0301 is stored precomposed, and is the same name as "émile".
        TAKE(const User emile, addUser(u"e\u0301mile"_s, u"Émile"_s));
        QCOMPARE(emile.username, u"\u00e9mile"_s);
        EXPECT_ERROR(addUser(u"\u00e9mile"_s, u"Copy"_s), "conflict", "username is already taken");
        EXPECT_ERROR(addUser(u"E\u0301MILE"_s, u"Copy"_s), "conflict", "username is already taken");
        // Compatibility forms: fullwidth letters are the ASCII name.
        EXPECT_ERROR(addUser(u"\uff41\uff4c\uff49\uff43\uff45"_s, u"Not Alice"_s), "conflict",
                     "username is already taken");
        // Found by any spelling; stored and returned in NFC.
        TAKE(const Credentials found, m_store->credentialsByUsername(u"E\u0301mile"_s));
        QCOMPARE(asSeenByOthers(found.user), emile);
        TAKE(const Credentials fullwidth,
             m_store->credentialsByUsername(u"\uff21\uff2c\uff29\uff23\uff25"_s));
        QCOMPARE(fullwidth.user.id, m_alice.id);
        TAKE(const QList<User> prefix, m_store->searchUsers(u"e\u0301m"_s, {}, 10));
        QCOMPARE(idsOf(prefix), QList<Id>({emile.id}));
        AdminConnection admin(m_url);
        QCOMPARE(admin.rows(u"SELECT username_fold FROM users WHERE id = %1"_s.arg(emile.id)),
                 QStringList({u"\u00e9mile"_s}));
    }

    void issueTokenRechecksTheCredentials()
    {
        const QByteArray verified = fixtureHash(u"alice"_s);
        const QByteArray token = QByteArray(32, '\x11');
        VERIFY_OK(m_store->issueToken(token, m_alice.id, verified, kT0, kT0 + 60'000));
        TAKE(const User alice, m_store->userForToken(token, kT0 + 1));
        QCOMPARE(asSeenByOthers(alice), m_alice);

        // The hash the password was checked against is no longer the user's.
        VERIFY_OK(m_store->setPasswordHash(m_alice.id, "$argon2id$reset"));
        EXPECT_ERROR(m_store->issueToken(QByteArray(32, '\x12'), m_alice.id, verified, kT0, kT0 + 60'000),
                     "invalid_credentials", "invalid username or password");
        VERIFY_OK(
            m_store->issueToken(QByteArray(32, '\x13'), m_alice.id, "$argon2id$reset", kT0, kT0 + 60'000));

        // Disabled: forbidden for the holder of the current hash only.
        VERIFY_OK(m_store->setUserDisabled(m_bob.id, true, kT0));
        EXPECT_ERROR(
            m_store->issueToken(QByteArray(32, '\x14'), m_bob.id, fixtureHash(u"bob"_s), kT0, kT0 + 60'000),
            "forbidden", "account disabled");
        EXPECT_ERROR(
            m_store->issueToken(QByteArray(32, '\x15'), m_bob.id, "$argon2id$guess", kT0, kT0 + 60'000),
            "invalid_credentials", "invalid username or password");
        EXPECT_ERROR(m_store->issueToken(QByteArray(32, '\x16'), 9999, verified, kT0, kT0 + 60'000),
                     "invalid_credentials", "invalid username or password");

        // Nothing was stored for the refusals.
        AdminConnection admin(m_url);
        QCOMPARE(admin.scalar(u"SELECT COUNT(*) FROM tokens"_s).toInt(), 2);
    }

    // A reset holding the user's row (as setPasswordHash does, inside its
    // transaction) while a login issues its token: the issue waits for it and
    // then refuses, so no token checked against the old hash survives.
    void issueTokenWaitsForAConcurrentReset()
    {
        auto executor = startExecutor();
        QVERIFY(executor);
        AdminConnection admin(m_url);
        const QByteArray token = QByteArray(32, '\x21');
        QVERIFY(admin.db().transaction());
        QVERIFY(admin.exec(u"UPDATE users SET password_hash = ? WHERE id = ?"_s,
                           {QByteArray("$argon2id$reset"), m_alice.id}));
        QVERIFY(
            admin.exec(u"UPDATE tokens SET revoked = 1 WHERE user_id = ? AND revoked = 0"_s, {m_alice.id}));

        std::optional<Result<void>> issued;
        executor->run<Result<void>>(
            this,
            [token, id = m_alice.id](Store& s) {
                return s.issueToken(token, id, fixtureHash(u"alice"_s), kT0, kT0 + 60'000);
            },
            [&issued](Result<void> r) { issued = r; });
        QTest::qWait(300);
        QVERIFY2(!issued, "the token was issued while a transaction changing the user was open");
        QVERIFY(admin.db().commit());
        QTRY_VERIFY_WITH_TIMEOUT(issued.has_value(), 10000);
        QVERIFY(!issued->ok());
        QCOMPARE(errorCodeName(issued->error().code), u"invalid_credentials"_s);
        executor->stop();
        EXPECT_ERROR(m_store->userForToken(token, kT0 + 1), "invalid_credentials",
                     "invalid or expired token");
        QCOMPARE(admin.scalar(u"SELECT COUNT(*) FROM tokens WHERE revoked = 0"_s).toInt(), 0);
    }

    void registrationIsCheckedBeforeHashing()
    {
        VERIFY_OK(m_store->checkRegistration(u"dora"_s, {}, kT0));
        EXPECT_ERROR(m_store->checkRegistration(u"ALICE"_s, {}, kT0), "conflict",
                     "username is already taken");
        EXPECT_ERROR(m_store->checkRegistration(u"\uff41lice"_s, {}, kT0), "conflict",
                     "username is already taken");

        TAKE(const Invite once, m_store->createInvite("hash-once", u"once"_s, 1, {}, kT0));
        TAKE(const Invite expiring, m_store->createInvite("hash-exp", u"exp"_s, 5, kT0 + 10, kT0));
        TAKE(const Invite revoked, m_store->createInvite("hash-rev", u"rev"_s, 5, {}, kT0));
        VERIFY_OK(m_store->revokeInvite("hash-rev"));
        VERIFY_OK(m_store->checkRegistration(u"dora"_s, "hash-once", kT0));
        VERIFY_OK(m_store->checkRegistration(u"dora"_s, "hash-exp", kT0 + 9));
        EXPECT_ERROR(m_store->checkRegistration(u"dora"_s, "hash-none", kT0), "forbidden",
                     "unknown invite code");
        EXPECT_ERROR(m_store->checkRegistration(u"dora"_s, "hash-exp", kT0 + 10), "forbidden",
                     "the invite code has expired");
        EXPECT_ERROR(m_store->checkRegistration(u"dora"_s, "hash-rev", kT0), "forbidden",
                     "the invite code was revoked");
        // The invite is checked first, as createInvitedUser uses it first.
        EXPECT_ERROR(m_store->checkRegistration(u"alice"_s, "hash-none", kT0), "forbidden",
                     "unknown invite code");
        TAKE(const User dora, m_store->createInvitedUser(u"dora"_s, u"Dora"_s, "x", "hash-once", kT0));
        QVERIFY(dora.id > 0);
        EXPECT_ERROR(m_store->checkRegistration(u"erin"_s, "hash-once", kT0), "forbidden",
                     "the invite code has been used up");
        // Read-only: it used nothing.
        TAKE(const QList<Invite> invites, m_store->listInvites());
        QCOMPARE(invites.at(1).uses, 0);
        Q_UNUSED(once);
        Q_UNUSED(expiring);
        Q_UNUSED(revoked);
    }

    void pruneTokensDeletesExpiredAndRevokedInBatches()
    {
        const qint64 now = kT0 + 1'000'000;
        for (int i = 0; i < 5; ++i)
            VERIFY_OK(
                m_store->insertToken(QByteArray(32, char('a' + i)), m_alice.id, kT0, now - i)); // expired
        for (int i = 0; i < 3; ++i) {
            const QByteArray revoked = QByteArray(32, char('k' + i));
            VERIFY_OK(m_store->insertToken(revoked, m_bob.id, kT0, now + 60'000));
            VERIFY_OK(m_store->revokeToken(revoked));
        }
        const QByteArray live = QByteArray(32, 'z');
        VERIFY_OK(m_store->insertToken(live, m_carol.id, kT0, now + 1));
        AdminConnection admin(m_url);
        QCOMPARE(admin.scalar(u"SELECT COUNT(*) FROM tokens"_s).toInt(), 9);

        TAKE(const int first, m_store->pruneTokens(now, 2)); // at most 2 of each kind
        QCOMPARE(first, 4);
        QCOMPARE(admin.scalar(u"SELECT COUNT(*) FROM tokens"_s).toInt(), 5);
        TAKE(const int rest, m_store->pruneTokens(now, 100));
        QCOMPARE(rest, 4);
        TAKE(const int none, m_store->pruneTokens(now, 100));
        QCOMPARE(none, 0);
        QCOMPARE(admin.rows(u"SELECT user_id FROM tokens"_s), QStringList({QString::number(m_carol.id)}));
        TAKE(const User carol, m_store->userForToken(live, now));
        QCOMPARE(asSeenByOthers(carol), m_carol);
    }

    // Rows written before the name rules: a decomposed username with the old
    // fold, and a fullwidth one that reads as an existing ASCII name.
    void migrationNormalizesOldUsernames()
    {
        // The version before "signing in: normalised username keys" (SQLite 4, PostgreSQL 5).
        const int beforeSigningIn = isSqlite() ? 3 : 4;
        const QString oldUrl = newDatabaseUrl();
        TAKE(std::shared_ptr<Store> old, openStore(oldUrl, beforeSigningIn));
        m_store = old;
        TAKE(const User admin, addUser(u"admin"_s, u"Admin"_s));
        AdminConnection raw(oldUrl);
        const auto insertRaw = [&](const QString& name, const QString& fold) {
            return raw.exec(u"INSERT INTO users (username, username_fold, display_name, display_name_fold, "
                            "password_hash, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)"_s,
                            {name, fold, name, fold, QByteArray("$argon2id$x"), kT0, kT0});
        };
        QVERIFY(insertRaw(u"Ze\u0301lie"_s, u"ze\u0301lie"_s));
        QVERIFY(insertRaw(u"\uff41\uff44\uff4d\uff49\uff4e"_s, u"\uff41\uff44\uff4d\uff49\uff4e"_s));
        old->close();

        QTest::ignoreMessage(QtWarningMsg,
                             QRegularExpression(u"reads as the same name as account %1"_s.arg(admin.id)));
        TAKE(std::shared_ptr<Store> migrated, openStore(oldUrl));
        m_store = migrated;
        TAKE(const Credentials zelie, migrated->credentialsByUsername(u"z\u00e9lie"_s));
        QCOMPARE(zelie.user.username, u"Z\u00e9lie"_s);
        QCOMPARE(raw.rows(u"SELECT username_fold FROM users WHERE id = %1"_s.arg(zelie.user.id)),
                 QStringList({u"z\u00e9lie"_s}));
        // The lookalike keeps its old key; the name "admin" stays the admin's.
        TAKE(const Credentials byName, migrated->credentialsByUsername(u"\uff41\uff44\uff4d\uff49\uff4e"_s));
        QCOMPARE(byName.user.id, admin.id);
        QCOMPARE(
            raw.rows(u"SELECT username_fold FROM users WHERE username = '\uff41\uff44\uff4d\uff49\uff4e'"_s),
            QStringList({u"\uff41\uff44\uff4d\uff49\uff4e"_s}));
        EXPECT_ERROR(addUser(u"ze\u0301lie"_s, u"Copy"_s), "conflict", "username is already taken");
    }

    void databaseFilesAreOwnerOnly()
    {
        const QString dir = m_dir.filePath(u"private/nested"_s);
        const QString path = dir + u"/confab.db"_s;
        TAKE(std::shared_ptr<Store> store, openStore(u"sqlite:"_s + path));
        m_store = store;
        TAKE(const User user, addUser(u"perm"_s, u"Perm"_s)); // a write: the WAL exists
        QCOMPARE(modeOf(m_dir.filePath(u"private"_s)), 0700);
        QCOMPARE(modeOf(dir), 0700);
        QCOMPARE(modeOf(path), 0600);
        QVERIFY(QFileInfo::exists(path + u"-wal"_s));
        QCOMPARE(modeOf(path + u"-wal"_s), 0600);
        QCOMPARE(modeOf(path + u"-shm"_s), 0600);
        Q_UNUSED(user);
    }
};

CONFAB_TEST_GUILESS_MAIN(TestStoreSessions)
#include "tst_store_sessions.moc"
