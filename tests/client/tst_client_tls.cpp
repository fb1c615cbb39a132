// wss:// with self-signed certificates, trust on first use: the Session
// against a real TLS WebSocket front (TlsFront, certificates made by the
// openssl CLI) relaying to a real in-process server. First use asks and
// connects only after accept; a pinned certificate connects silently; a
// replaced one warns with both fingerprints, also on a reconnect; an expired
// one is refused even when pinned. Plus the pure parts (verdicts, the
// fingerprint form, the pin store).
#include "certificate_trust.h"
#include "client_settings.h"
#include "server_address.h"
#include "session.h"
#include "test_server.h"
#include "tls_front.h"

#include <QFile>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSslConfiguration>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <memory>
#include <optional>

using namespace confab;
using namespace confab::test;
using client::CertificateVerdict;
using client::ClientSettings;
using client::Session;
using State = Session::State;
using Verdict = CertificateVerdict::Kind;

namespace {

const QString kPassword = QStringLiteral("correct horse");

// What a Session emits that matters here.
class Recorder : public QObject {
public:
    explicit Recorder(Session& s)
    {
        connect(&s, &Session::stateChanged, this, [this, &s] { states.append(s.state()); });
        connect(&s, &Session::authenticated, this, [this] { ++authenticated; });
        connect(&s, &Session::authenticationFailed, this, [this](const Error& e) { failures.append(e); });
        connect(&s, &Session::reconnected, this, [this] { ++reconnected; });
        connect(&s, &Session::pendingCertificateChanged, this, [this] { ++pendingChanges; });
    }
    QList<State> states;
    int authenticated = 0;
    QList<Error> failures;
    int reconnected = 0;
    int pendingChanges = 0;
};

// A fresh profile's settings: no pins left from an earlier run.
std::unique_ptr<ClientSettings> freshSettings(const QString& profile)
{
    QFile::remove(ClientSettings(profile).fileName());
    return std::make_unique<ClientSettings>(profile);
}

std::unique_ptr<Session> newSession(ClientSettings& pins)
{
    auto session = std::make_unique<Session>();
    session->setPinStore(&pins);
    session->setReconnectDelays(50, 200);
    return session;
}

} // namespace

class TestClientTls : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void fingerprintsAreUppercaseHexPairs();
    void verdictsFollowTheErrorsAndThePin();
    void pinsAreKeptPerServerAndCanBeForgotten();
    void firstUseAsksAndConnectsOnlyAfterAccept();
    void aPinnedCertificateConnectsWithoutAsking();
    void aReplacedCertificateWarnsWithBothFingerprints();
    void anExpiredCertificateIsRefusedEvenWhenPinned();
    void reconnectsCheckThePinAgain();
    void cancellingWhileAskedLeavesNothingBehind();
    void aCertificateFromATrustedCaNeedsNoPin();

private:
    TestServer m_server;
    QTemporaryDir m_dir;
    std::optional<TestCertificate> m_first, m_second, m_expired;
    int m_users = 0;
    QString newUser() { return QStringLiteral("tls%1").arg(++m_users); }
};

void TestClientTls::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_server.start());
    QVERIFY(m_dir.isValid());
    m_first = TestCertificate::selfSigned(m_dir.path(), QStringLiteral("confab-first"));
    m_second = TestCertificate::selfSigned(m_dir.path(), QStringLiteral("confab-second"));
    m_expired = TestCertificate::selfSigned(m_dir.path(), QStringLiteral("confab-expired"), true);
    QVERIFY2(m_first && m_second && m_expired, "openssl could not make the test certificates");
    QVERIFY(m_first->fingerprint() != m_second->fingerprint());
    QVERIFY(m_expired->certificate.expiryDate() < QDateTime::currentDateTimeUtc());
}

void TestClientTls::fingerprintsAreUppercaseHexPairs()
{
    const QString fingerprint = client::certificateFingerprint(m_first->certificate);
    QCOMPARE(fingerprint, m_first->fingerprint());
    QCOMPARE(fingerprint.size(), 32 * 3 - 1);
    QVERIFY(
        QRegularExpression(QStringLiteral("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")).match(fingerprint).hasMatch());
    // As someone might paste it: lower case, no colons, spaces around.
    QString loose = fingerprint.toLower();
    loose.remove(QLatin1Char(':'));
    QCOMPARE(client::normalizedFingerprint(QStringLiteral("  ") + loose + QStringLiteral(" ")), fingerprint);
    QCOMPARE(client::normalizedFingerprint(fingerprint.left(20)), QString());
    QCOMPARE(client::normalizedFingerprint(QString(fingerprint).replace(0, 1, QLatin1Char('G'))), QString());
    QCOMPARE(client::certificateFingerprint(QSslCertificate()), QString());
}

void TestClientTls::verdictsFollowTheErrorsAndThePin()
{
    const QSslCertificate& cert = m_first->certificate;
    const QString pin = m_first->fingerprint();
    const QList<QSslError> selfSigned{QSslError(QSslError::HostNameMismatch, cert),
                                      QSslError(QSslError::SelfSignedCertificate, cert)};
    QCOMPARE(client::judgeCertificate(selfSigned, cert, QString()).kind, Verdict::Unknown);
    QCOMPARE(client::judgeCertificate(selfSigned, cert, pin).kind, Verdict::Pinned);
    QCOMPARE(client::judgeCertificate(selfSigned, cert, m_second->fingerprint()).kind, Verdict::Changed);
    QCOMPARE(client::judgeCertificate(selfSigned, cert, pin.toLower()).kind, Verdict::Pinned);

    for (const auto error :
         {QSslError::CertificateExpired, QSslError::CertificateNotYetValid, QSslError::CertificateRevoked,
          QSslError::CertificateSignatureFailed, QSslError::InvalidPurpose}) {
        const CertificateVerdict verdict =
            client::judgeCertificate(selfSigned + QList<QSslError>{QSslError(error, cert)}, cert, pin);
        QCOMPARE(verdict.kind, Verdict::Refused);
        QCOMPARE(verdict.reason, QSslError(error, cert).errorString());
    }
    // A trustable kind of error, but about another certificate than the pinned one.
    const QList<QSslError> aboutAnother{
        QSslError(QSslError::SelfSignedCertificateInChain, m_second->certificate)};
    QCOMPARE(client::judgeCertificate(aboutAnother, cert, pin).kind, Verdict::Refused);
    QCOMPARE(client::judgeCertificate(selfSigned, QSslCertificate(), pin).kind, Verdict::Refused);
}

void TestClientTls::pinsAreKeptPerServerAndCanBeForgotten()
{
    auto settings = freshSettings(QStringLiteral("tls-pins"));
    const QUrl a = client::parseServerAddress(QStringLiteral("wss://Chat.Example.org"));
    const QUrl aExplicit = client::parseServerAddress(QStringLiteral("wss://chat.example.org:443/"));
    const QUrl b = client::parseServerAddress(QStringLiteral("wss://chat.example.org:8443"));
    const QUrl v6 = client::parseServerAddress(QStringLiteral("wss://[::1]:7861"));
    QCOMPARE(client::serverAuthority(a), QStringLiteral("chat.example.org:443"));
    QCOMPARE(client::serverAuthority(v6), QStringLiteral("[::1]:7861"));

    QCOMPARE(settings->pinnedFingerprint(a), QString());
    settings->setPinnedFingerprint(a, m_first->fingerprint().toLower());
    settings->setPinnedFingerprint(v6, m_second->fingerprint());
    QCOMPARE(settings->pinnedFingerprint(aExplicit), m_first->fingerprint()); // one server, two spellings
    QCOMPARE(settings->pinnedFingerprint(b), QString());                      // another port, another server

    ClientSettings reread(QStringLiteral("tls-pins")); // from the file
    QCOMPARE(reread.pinnedFingerprint(a), m_first->fingerprint());
    QCOMPARE(reread.pinnedFingerprint(v6), m_second->fingerprint());
    reread.forgetPinnedFingerprint(a);
    QCOMPARE(ClientSettings(QStringLiteral("tls-pins")).pinnedFingerprint(a), QString());
    QCOMPARE(ClientSettings(QStringLiteral("tls-pins")).pinnedFingerprint(v6), m_second->fingerprint());
}

void TestClientTls::firstUseAsksAndConnectsOnlyAfterAccept()
{
    TlsFront front(m_server.url());
    QVERIFY(front.listen(*m_first));
    auto pins = freshSettings(QStringLiteral("tls-first-use"));
    auto session = newSession(*pins);
    Recorder r(*session);

    session->signUp(front.url(), newUser(), kPassword, QString());
    QTRY_COMPARE(session->state(), State::AwaitingTrust);
    const client::PendingCertificate pending = session->pendingCertificate();
    QCOMPARE(pending.fingerprint, m_first->fingerprint());
    QCOMPARE(pending.previousFingerprint, QString());
    QVERIFY(!pending.changed());
    QCOMPARE(pending.server, front.url());
    QCOMPARE(pending.subject, QStringLiteral("confab-first"));
    QCOMPARE(pending.expires, m_first->certificate.expiryDate());
    QCOMPARE(r.pendingChanges, 1);

    // Nothing got through, nothing is pinned, and nobody retries meanwhile.
    QTest::qWait(400);
    QCOMPARE(session->state(), State::AwaitingTrust);
    QCOMPARE(front.accepted(), 0);
    QCOMPARE(r.authenticated, 0);
    QVERIFY(r.failures.isEmpty());
    QCOMPARE(pins->pinnedFingerprint(front.url()), QString());

    // Only the fingerprint that was shown can be accepted.
    QVERIFY(!session->acceptPendingCertificate(m_second->fingerprint()));
    QCOMPARE(session->state(), State::AwaitingTrust);

    QVERIFY(session->acceptPendingCertificate(m_first->fingerprint()));
    QTRY_COMPARE(session->state(), State::Online);
    QCOMPARE(r.authenticated, 1); // the sign-up that was started, carried on
    QCOMPARE(front.accepted(), 1);
    QVERIFY(!session->pendingCertificate().isValid());
    QCOMPARE(pins->pinnedFingerprint(front.url()), m_first->fingerprint());
    QCOMPARE(ClientSettings(QStringLiteral("tls-first-use")).pinnedFingerprint(front.url()),
             m_first->fingerprint());
}

void TestClientTls::aPinnedCertificateConnectsWithoutAsking()
{
    TlsFront front(m_server.url());
    QVERIFY(front.listen(*m_first));
    auto pins = freshSettings(QStringLiteral("tls-pinned"));
    pins->setPinnedFingerprint(front.url(), m_first->fingerprint());
    auto session = newSession(*pins);
    Recorder r(*session);

    const QString name = newUser();
    session->signUp(front.url(), name, kPassword, QString());
    QTRY_COMPARE(session->state(), State::Online);
    QCOMPARE(r.pendingChanges, 0);
    QVERIFY(!r.states.contains(State::AwaitingTrust));

    // And a resume with the token through a second session, likewise.
    auto again = newSession(*pins);
    Recorder r2(*again);
    again->resume(front.url(), session->token());
    QTRY_COMPARE(again->state(), State::Online);
    QCOMPARE(r2.pendingChanges, 0);
    QCOMPARE(again->user().username, name);
}

void TestClientTls::aReplacedCertificateWarnsWithBothFingerprints()
{
    TlsFront front(m_server.url());
    QVERIFY(front.listen(*m_second));
    auto pins = freshSettings(QStringLiteral("tls-replaced"));
    pins->setPinnedFingerprint(front.url(), m_first->fingerprint());
    auto session = newSession(*pins);
    Recorder r(*session);

    // A resume with a stored token, as the app does at start.
    auto owner = signUpAt(m_server.url(), newUser());
    QVERIFY(owner);
    session->resume(front.url(), owner->token);
    QTRY_COMPARE(session->state(), State::AwaitingTrust);
    QVERIFY(session->pendingCertificate().changed());
    QCOMPARE(session->pendingCertificate().fingerprint, m_second->fingerprint());
    QCOMPARE(session->pendingCertificate().previousFingerprint, m_first->fingerprint());
    QTest::qWait(300);
    QCOMPARE(front.accepted(), 0);
    QCOMPARE(pins->pinnedFingerprint(front.url()), m_first->fingerprint()); // untouched until accepted

    QVERIFY(session->acceptPendingCertificate(m_second->fingerprint()));
    QTRY_COMPARE(session->state(), State::Online);
    QCOMPARE(session->user().id, owner->userId);
    QCOMPARE(pins->pinnedFingerprint(front.url()), m_second->fingerprint());
}

void TestClientTls::anExpiredCertificateIsRefusedEvenWhenPinned()
{
    TlsFront front(m_server.url());
    QVERIFY(front.listen(*m_expired));
    for (const bool pinned : {true, false}) {
        auto pins = freshSettings(QStringLiteral("tls-expired"));
        if (pinned)
            pins->setPinnedFingerprint(front.url(), m_expired->fingerprint());
        auto session = newSession(*pins);
        Recorder r(*session);
        session->signUp(front.url(), newUser(), kPassword, QString());
        QTRY_COMPARE(r.failures.size(), 1);
        QCOMPARE(session->state(), State::Disconnected);
        QVERIFY2(r.failures.first().message.contains(QLatin1String("certificate has expired")),
                 qPrintable(r.failures.first().message));
        QCOMPARE(r.pendingChanges, 0); // never offered for trust either
        QCOMPARE(front.accepted(), 0);
    }
}

void TestClientTls::reconnectsCheckThePinAgain()
{
    TlsFront front(m_server.url());
    QVERIFY(front.listen(*m_first));
    auto pins = freshSettings(QStringLiteral("tls-reconnect"));
    pins->setPinnedFingerprint(front.url(), m_first->fingerprint());
    auto session = newSession(*pins);
    Recorder r(*session);
    session->signUp(front.url(), newUser(), kPassword, QString());
    QTRY_COMPARE(session->state(), State::Online);

    // The server comes back with the same certificate: a silent reconnect.
    QVERIFY(front.restart(*m_first));
    QTRY_COMPARE(r.reconnected, 1);
    QCOMPARE(session->state(), State::Online);
    QCOMPARE(front.accepted(), 2);

    // It comes back with another one: no connection, the user is asked.
    QVERIFY(front.restart(*m_second));
    QTRY_COMPARE(session->state(), State::AwaitingTrust);
    QCOMPARE(session->pendingCertificate().previousFingerprint, m_first->fingerprint());
    QCOMPARE(session->pendingCertificate().fingerprint, m_second->fingerprint());
    QTest::qWait(500); // well past the reconnect delays: nothing retries on its own
    QCOMPARE(session->state(), State::AwaitingTrust);
    QCOMPARE(front.accepted(), 2);
    QCOMPARE(r.reconnected, 1);

    // Accepting carries on with the reconnect (the same token).
    QVERIFY(session->acceptPendingCertificate(m_second->fingerprint()));
    QTRY_COMPARE(r.reconnected, 2);
    QCOMPARE(session->state(), State::Online);
    QCOMPARE(r.authenticated, 1);
}

void TestClientTls::cancellingWhileAskedLeavesNothingBehind()
{
    TlsFront front(m_server.url());
    QVERIFY(front.listen(*m_first));
    auto pins = freshSettings(QStringLiteral("tls-cancel"));
    auto session = newSession(*pins);
    Recorder r(*session);
    session->signUp(front.url(), newUser(), kPassword, QString());
    QTRY_COMPARE(session->state(), State::AwaitingTrust);
    session->disconnectFromServer();
    QCOMPARE(session->state(), State::Disconnected);
    QVERIFY(!session->pendingCertificate().isValid());
    QCOMPARE(r.pendingChanges, 2); // set, then cleared
    QVERIFY(!session->acceptPendingCertificate(m_first->fingerprint()));
    QTest::qWait(300);
    QCOMPARE(session->state(), State::Disconnected);
    QCOMPARE(front.accepted(), 0);
    QCOMPARE(pins->pinnedFingerprint(front.url()), QString());
}

void TestClientTls::aCertificateFromATrustedCaNeedsNoPin()
{
    QSslCertificate authority;
    const auto issued =
        TestCertificate::issuedByNewCa(m_dir.path(), QStringLiteral("confab-ca-issued"), &authority);
    QVERIFY2(issued, "openssl could not make the CA and its certificate");
    // The CA joins the system's (for this process): as a public CA would be.
    const QSslConfiguration before = QSslConfiguration::defaultConfiguration();
    QSslConfiguration withCa = before;
    withCa.addCaCertificate(authority);
    QSslConfiguration::setDefaultConfiguration(withCa);
    const auto restore = qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(before); });

    TlsFront front(m_server.url());
    QVERIFY(front.listen(*issued));
    auto pins = freshSettings(QStringLiteral("tls-ca"));
    pins->setPinnedFingerprint(front.url(), m_first->fingerprint()); // a stale pin does not matter
    auto session = newSession(*pins);
    Recorder r(*session);
    session->signUp(front.url(), newUser(), kPassword, QString());
    QTRY_COMPARE(session->state(), State::Online);
    QCOMPARE(r.pendingChanges, 0);
    QCOMPARE(front.accepted(), 1);
    QCOMPARE(pins->pinnedFingerprint(front.url()), m_first->fingerprint()); // neither replaced nor needed
}

QTEST_GUILESS_MAIN(TestClientTls)

#include "tst_client_tls.moc"
