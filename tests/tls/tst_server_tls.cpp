// confab-server serving wss:// (--tls auto, --tls-cert/--tls-key) as a real
// process, with Qt's QWebSocket as the client trusting exactly the server's
// certificate, and raw TCP clients that speak plain WebSocket, garbage or
// half a ClientHello. On both backends (tst_server_tls_pg: --db on PostgreSQL).
#include "server_config.h"
#include "server_process.h"
#include "test_client.h"
#include "test_server.h"
#include "tls/self_signed.h"

#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <QSslCertificateExtension>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QElapsedTimer>
#include <QThread>

#include <memory>

using namespace confab::test;

namespace {

// Owner, group and other: the file's mode (the "User" flags repeat the owner's for us).
constexpr QFileDevice::Permissions kModeBits(0x7077);

// "tls fingerprint SHA-256 AB:CD:..." from the server's stdout (empty if absent).
QString printedFingerprint(ServerProcess& server)
{
    const QRegularExpression line(
        QStringLiteral("^tls fingerprint SHA-256 ((?:[0-9A-F]{2}:){31}[0-9A-F]{2})$"),
        QRegularExpression::MultilineOption);
    QRegularExpressionMatch match;
    (void)QTest::qWaitFor(
        [&] {
            match = line.match(server.output());
            return match.hasMatch();
        },
        3000);
    return match.hasMatch() ? match.captured(1) : QString();
}

QString fingerprintOf(const QSslCertificate& certificate)
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

QSslCertificate certificateIn(const QString& path)
{
    const QList<QSslCertificate> certificates = QSslCertificate::fromPath(path, QSsl::Pem);
    return certificates.isEmpty() ? QSslCertificate() : certificates.constFirst();
}

// From now on clients trust this certificate and nothing else (no system CAs).
void trustOnly(const QSslCertificate& certificate)
{
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setCaCertificates({certificate});
    QSslConfiguration::setDefaultConfiguration(configuration);
}

// A self-signed P-256 certificate and key made by the openssl command.
bool opensslCertificate(const QString& certificatePath, const QString& keyPath)
{
    QProcess openssl;
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                   QStringLiteral("ec"), QStringLiteral("-pkeyopt"),
                   QStringLiteral("ec_paramgen_curve:P-256"), QStringLiteral("-nodes"),
                   QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                   QStringLiteral("/CN=localhost"), QStringLiteral("-addext"),
                   QStringLiteral("subjectAltName=DNS:localhost,IP:127.0.0.1"), QStringLiteral("-keyout"),
                   keyPath, QStringLiteral("-out"), certificatePath});
    if (!openssl.waitForFinished(20000) || openssl.exitCode() != 0) {
        qWarning("openssl req failed: %s", openssl.readAllStandardError().constData());
        return false;
    }
    return true;
}

// The database of the test function under way: on PostgreSQL (the _pg
// entry) a fresh one per test, shared by the servers it starts (a second
// start must find the first one's data); on SQLite the data directory's.
std::unique_ptr<ScratchPostgres>& currentPostgres()
{
    static std::unique_ptr<ScratchPostgres> database;
    return database;
}

QStringList serverArguments(const QTemporaryDir& dir)
{
    QStringList arguments{QStringLiteral("--data-dir"),           dir.path(),
                          QStringLiteral("--hash-threads"),       QStringLiteral("1"),
                          QStringLiteral("--send-rate"),          QStringLiteral("100000"),
                          QStringLiteral("--send-burst"),         QStringLiteral("100000"),
                          QStringLiteral("--max-content-length"), QStringLiteral("100000")};
    if (currentPostgres())
        arguments << QStringLiteral("--db") << currentPostgres()->url();
    return arguments;
}

// GET `path` from the server's operations port (its log line names it).
QByteArray opsGet(ServerProcess& server, const char* path)
{
    const QRegularExpression line(QStringLiteral("metrics and health on http://127.0.0.1:(\\d+)/metrics"));
    const auto match = line.match(server.output());
    if (!match.hasMatch())
        return {};
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, match.captured(1).toUShort());
    if (!socket.waitForConnected(3000))
        return {};
    socket.write(QByteArray("GET ") + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    QByteArray response;
    while (socket.state() == QAbstractSocket::ConnectedState && socket.waitForReadyRead(3000))
        response += socket.readAll();
    return response + socket.readAll();
}

// A sample's value in a Prometheus text page (-1 if absent).
double metric(const QByteArray& page, const QByteArray& name)
{
    for (const QByteArray& line : page.split('\n')) {
        if (line.startsWith(name + ' '))
            return line.mid(name.size() + 1).toDouble();
    }
    return -1;
}

QString contentOf(const QJsonObject& event)
{
    return payloadOf(event)
        .value(QLatin1String("message"))
        .toObject()
        .value(QLatin1String("content"))
        .toString();
}

} // namespace

class TestServerTls : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void optionsAndDataDirectory();
    void selfSignedCertificateHasTheDocumentedFields();
    void autoCertificateServesWss();
    void secondStartReusesTheCertificate();
    void explicitCertificateAndKeyWin();
    void badCertificatesAreRefusedAtStart();
    void untrustedClientsSeeTheCertificateErrors();
    void plainClientsAndGarbageAreDroppedCleanly();
    void stalledHandshakeIsDroppedByTheDeadline();
    void largeMessagesAndBurstsRoundTrip();

private:
    // Starts `--tls auto` in `dir` and trusts its certificate.
    bool startAuto(ServerProcess& server, const QTemporaryDir& dir, const QStringList& extra = {});

    QSslConfiguration m_defaultConfiguration;
};

void TestServerTls::initTestCase()
{
    QVERIFY2(QFile::exists(ServerProcess::binary()), "CONFAB_SERVER_BIN must name the built confab-server");
    QVERIFY2(QSslSocket::supportsSsl(), "Qt has no TLS backend here");
    CONFAB_REQUIRE_TEST_BACKEND();
    m_defaultConfiguration = QSslConfiguration::defaultConfiguration();
}

void TestServerTls::init()
{
    // What only concerns TLS and the transport runs in the SQLite entry; the
    // PostgreSQL entry runs what stores and serves chat over wss://.
    static const QStringList transportOnly{
        QStringLiteral("optionsAndDataDirectory"),
        QStringLiteral("selfSignedCertificateHasTheDocumentedFields"),
        QStringLiteral("badCertificatesAreRefusedAtStart"),
        QStringLiteral("untrustedClientsSeeTheCertificateErrors"),
        QStringLiteral("plainClientsAndGarbageAreDroppedCleanly"),
        QStringLiteral("stalledHandshakeIsDroppedByTheDeadline"),
    };
    if (TestServer::usesPostgres() && transportOnly.contains(QLatin1String(QTest::currentTestFunction())))
        QSKIP("does not depend on the backend: runs in tst_server_tls (SQLite)");
    if (TestServer::usesPostgres()) {
        currentPostgres() = std::make_unique<ScratchPostgres>();
        QVERIFY2(currentPostgres()->isValid(), qPrintable(currentPostgres()->error()));
    }
}

void TestServerTls::cleanup()
{
    QSslConfiguration::setDefaultConfiguration(m_defaultConfiguration);
    currentPostgres().reset();
}

void TestServerTls::optionsAndDataDirectory()
{
    using confab::server::ServerConfig;
    const QString program = QStringLiteral("confab-server");
    auto plain = ServerConfig::fromArguments({program}, {});
    QVERIFY(plain.ok());
    QVERIFY(!plain->usesTls());
    QVERIFY(plain->dataDir.endsWith(QLatin1String("/confab")));
    QCOMPARE(plain->databaseUrl, QStringLiteral("sqlite:") + plain->dataDir + QStringLiteral("/confab.db"));

    // The default database follows --data-dir; an explicit --db wins.
    auto moved =
        ServerConfig::fromArguments({program, QStringLiteral("--data-dir"), QStringLiteral("/srv/confab"),
                                     QStringLiteral("--tls"), QStringLiteral("auto")},
                                    {});
    QVERIFY(moved.ok());
    QCOMPARE(moved->databaseUrl, QStringLiteral("sqlite:/srv/confab/confab.db"));
    QVERIFY(moved->tlsAuto && moved->usesTls());
    auto ownDb =
        ServerConfig::fromArguments({program, QStringLiteral("--data-dir"), QStringLiteral("/srv/confab"),
                                     QStringLiteral("--db"), QStringLiteral("sqlite:/tmp/x.db")},
                                    {});
    QVERIFY(ownDb.ok());
    QCOMPARE(ownDb->databaseUrl, QStringLiteral("sqlite:/tmp/x.db"));

    // Certificate and key together, from the environment too.
    QProcessEnvironment environment;
    environment.insert(QStringLiteral("CONFAB_TLS_CERT"), QStringLiteral("/etc/c.pem"));
    environment.insert(QStringLiteral("CONFAB_TLS_KEY"), QStringLiteral("/etc/k.pem"));
    auto own = ServerConfig::fromArguments({program}, environment);
    QVERIFY(own.ok());
    QCOMPARE(own->tlsCertificateFile, QStringLiteral("/etc/c.pem"));
    QVERIFY(own->usesTls() && !own->tlsAuto);
    QVERIFY(
        !ServerConfig::fromArguments({program, QStringLiteral("--tls-key"), QStringLiteral("/k")}, {}).ok());
}

void TestServerTls::selfSignedCertificateHasTheDocumentedFields()
{
    const QHostAddress listening(
        QStringLiteral("192.0.2.7")); // TEST-NET: only ever written into the certificate
    auto pem = confab::server::tls::makeSelfSigned(QStringLiteral("Chat-Host_1"), {listening});
    QVERIFY2(pem.ok(), pem.ok() ? "" : qPrintable(pem.error().message));
    QVERIFY(pem->privateKey.startsWith("-----BEGIN PRIVATE KEY-----"));
    const QSslCertificate certificate(pem->certificate, QSsl::Pem);
    QVERIFY(!certificate.isNull());
    QCOMPARE(certificate.version(), QByteArray("3"));
    QCOMPARE(certificate.subjectInfo(QSslCertificate::CommonName), QStringList{QStringLiteral("chat-host1")});
    // Signed by its own key, though QSslCertificate::isSelfSigned() says
    // false: OpenSSL counts a certificate as self-issued only when it may
    // sign certificates (keyCertSign), and a server certificate may not.
    QCOMPARE(certificate.issuerDisplayName(), certificate.subjectDisplayName());
    QCOMPARE(QByteArray::fromHex(certificate.serialNumber().replace(':', "")).size(), 16);
    QVERIFY(certificate.effectiveDate() <= QDateTime::currentDateTimeUtc());
    QVERIFY(certificate.expiryDate() > QDateTime::currentDateTimeUtc().addDays(3649));
    QCOMPARE(certificate.publicKey().algorithm(), QSsl::Ec);
    QCOMPARE(certificate.publicKey().length(), 256);
    const auto names = certificate.subjectAlternativeNames();
    QCOMPARE(names.values(QSsl::DnsEntry).size(), 2);
    QVERIFY(names.values(QSsl::DnsEntry).contains(QStringLiteral("chat-host1")));
    QVERIFY(names.values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));
    QVERIFY(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("127.0.0.1")));
    QVERIFY(names.values(QSsl::IpAddressEntry).contains(QStringLiteral("192.0.2.7")));
    QStringList extensions;
    for (const QSslCertificateExtension& extension : certificate.extensions()) {
        extensions.append(extension.name());
        if (extension.name() == QLatin1String("basicConstraints"))
            QCOMPARE(extension.value().toMap().value(QStringLiteral("ca")).toBool(), false);
    }
    for (const char* name : {"basicConstraints", "keyUsage", "extendedKeyUsage", "subjectAltName"})
        QVERIFY2(extensions.contains(QLatin1String(name)), name);

    // Two certificates never share a serial or a key.
    auto other = confab::server::tls::makeSelfSigned(QStringLiteral("chat-host1"), {});
    QVERIFY(other.ok());
    const QSslCertificate second(other->certificate, QSsl::Pem);
    QVERIFY(second.serialNumber() != certificate.serialNumber());
    QVERIFY(second.publicKey() != certificate.publicKey());
}

bool TestServerTls::startAuto(ServerProcess& server, const QTemporaryDir& dir, const QStringList& extra)
{
    if (!server.start(serverArguments(dir) + QStringList{QStringLiteral("--tls"), QStringLiteral("auto")} +
                      extra))
        return false;
    trustOnly(certificateIn(dir.filePath(QStringLiteral("tls/cert.pem"))));
    return true;
}

void TestServerTls::autoCertificateServesWss()
{
    QTemporaryDir dir;
    ServerProcess server;
    QVERIFY(startAuto(server, dir));
    QCOMPARE(server.url().scheme(), QStringLiteral("wss"));
    const QString fingerprint = printedFingerprint(server);
    QVERIFY2(!fingerprint.isEmpty(), qPrintable(server.output()));

    // The files: a private directory, a private key, a certificate for this host.
    const QFileInfo tlsDir(dir.filePath(QStringLiteral("tls")));
    QCOMPARE(tlsDir.permissions() & kModeBits,
             QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    const QFileInfo key(dir.filePath(QStringLiteral("tls/key.pem")));
    QCOMPARE(key.permissions() & kModeBits, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    // The default database is in the data dir; a --db (PostgreSQL) wins over it.
    QCOMPARE(QFileInfo::exists(dir.filePath(QStringLiteral("confab.db"))), !TestServer::usesPostgres());
    const QSslCertificate certificate = certificateIn(dir.filePath(QStringLiteral("tls/cert.pem")));
    QVERIFY(!certificate.isNull());
    QCOMPARE(fingerprintOf(certificate), fingerprint);
    QVERIFY(certificate.expiryDate() > QDateTime::currentDateTimeUtc().addYears(9));
    QVERIFY(certificate.subjectAlternativeNames()
                .values(QSsl::IpAddressEntry)
                .contains(QStringLiteral("127.0.0.1")));
    QVERIFY(
        certificate.subjectAlternativeNames().values(QSsl::DnsEntry).contains(QStringLiteral("localhost")));

    // Register, send and receive over wss://, verified against that certificate alone.
    auto alice = signUpAt(server.url(), QStringLiteral("alice"));
    auto bob = signUpAt(server.url(), QStringLiteral("bob"));
    QVERIFY(alice && bob);
    QCOMPARE(fingerprintOf(alice->socket().sslConfiguration().peerCertificate()), fingerprint);
    QCOMPARE(alice->socket().sslConfiguration().sessionProtocol(), QSsl::TlsV1_3);
    const qint64 room = createGroup(*alice, QStringLiteral("tls"), {bob->userId});
    QVERIFY(room > 0);
    QVERIFY(sendMessage(*alice, room, QStringLiteral("over TLS 会议")) > 0);
    QCOMPARE(contentOf(bob->waitFor(QStringLiteral("message"))), QStringLiteral("over TLS 会议"));
    const QByteArray health = opsGet(server, "/healthz");
    QVERIFY2(health.contains("\"tlsFingerprint\":\"" + fingerprint.toLatin1() + '"'), health.constData());
    QVERIFY(server.terminate());
}

void TestServerTls::secondStartReusesTheCertificate()
{
    QTemporaryDir dir;
    QString first;
    {
        ServerProcess server;
        QVERIFY(startAuto(server, dir));
        first = printedFingerprint(server);
        QVERIFY(server.output().contains(QLatin1String("made a self-signed TLS certificate")));
        QVERIFY(server.terminate());
    }
    ServerProcess again;
    QVERIFY(startAuto(again, dir));
    QCOMPARE(printedFingerprint(again), first);
    QVERIFY(!again.output().contains(QLatin1String("made a self-signed TLS certificate")));
    auto carol = signUpAt(again.url(), QStringLiteral("carol"));
    QVERIFY(carol);
    QCOMPARE(fingerprintOf(carol->socket().sslConfiguration().peerCertificate()), first);
}

void TestServerTls::explicitCertificateAndKeyWin()
{
    QTemporaryDir dir;
    const QString certificatePath = dir.filePath(QStringLiteral("own-cert.pem"));
    const QString keyPath = dir.filePath(QStringLiteral("own-key.pem"));
    QVERIFY(opensslCertificate(certificatePath, keyPath));
    ServerProcess server;
    // With --tls auto too: the given files win, and no self-signed pair is made.
    QVERIFY(server.start(serverArguments(dir) + QStringList{QStringLiteral("--tls"), QStringLiteral("auto"),
                                                            QStringLiteral("--tls-cert"), certificatePath,
                                                            QStringLiteral("--tls-key"), keyPath}));
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("tls"))));
    const QSslCertificate certificate = certificateIn(certificatePath);
    QCOMPARE(printedFingerprint(server), fingerprintOf(certificate));
    trustOnly(certificate);
    auto dave = signUpAt(server.url(), QStringLiteral("dave"));
    QVERIFY(dave);
    QCOMPARE(dave->socket().sslConfiguration().peerCertificate(), certificate);
}

void TestServerTls::badCertificatesAreRefusedAtStart()
{
    QTemporaryDir dir;
    const QString certificateA = dir.filePath(QStringLiteral("a-cert.pem"));
    const QString keyA = dir.filePath(QStringLiteral("a-key.pem"));
    const QString certificateB = dir.filePath(QStringLiteral("b-cert.pem"));
    const QString keyB = dir.filePath(QStringLiteral("b-key.pem"));
    QVERIFY(opensslCertificate(certificateA, keyA));
    QVERIFY(opensslCertificate(certificateB, keyB));
    const QString missing = dir.filePath(QStringLiteral("missing.pem"));
    QFile garbage(dir.filePath(QStringLiteral("garbage.pem")));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write("-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n");
    garbage.close();

    const struct {
        QStringList arguments;
        int exitCode;
        const char* says;
    } cases[] = {
        {{QStringLiteral("--tls-cert"), certificateA, QStringLiteral("--tls-key"), keyB},
         1,
         "does not belong"},
        {{QStringLiteral("--tls-cert"), missing, QStringLiteral("--tls-key"), keyA},
         1,
         "cannot read the TLS file"},
        {{QStringLiteral("--tls-cert"), garbage.fileName(), QStringLiteral("--tls-key"), keyA},
         1,
         "not a PEM certificate"},
        {{QStringLiteral("--tls-cert"), certificateA, QStringLiteral("--tls-key"), certificateB},
         1,
         "not an unencrypted PEM private key"},
        {{QStringLiteral("--tls-cert"), certificateA}, 2, "go together"},
        {{QStringLiteral("--tls"), QStringLiteral("on")}, 2, "must be off or auto"},
    };
    for (const auto& c : cases) {
        ServerProcess server;
        QVERIFY(!server.start(serverArguments(dir) + c.arguments));
        QVERIFY(server.process().state() == QProcess::NotRunning || server.process().waitForFinished(5000));
        const QString output = server.output();
        QCOMPARE(server.process().exitStatus(), QProcess::NormalExit);
        QVERIFY2(server.process().exitCode() == c.exitCode, qPrintable(output));
        QVERIFY2(output.contains(QLatin1String(c.says)), qPrintable(output));
    }
}

void TestServerTls::untrustedClientsSeeTheCertificateErrors()
{
    QTemporaryDir dir;
    ServerProcess server;
    QVERIFY(startAuto(server, dir));
    QSslConfiguration::setDefaultConfiguration(m_defaultConfiguration); // the system's CAs: not trusted
    const QSslCertificate certificate = certificateIn(dir.filePath(QStringLiteral("tls/cert.pem")));

    QList<QSslError> seen;
    {
        TestClient untrusting;
        connect(&untrusting.socket(), &QWebSocket::sslErrors, this,
                [&](const QList<QSslError>& errors) { seen = errors; });
        QVERIFY(!untrusting.open(server.url(), 5000));
    }
    // One error, the one a pinning client expects to ignore (the SAN has 127.0.0.1: no name mismatch).
    QCOMPARE(seen.size(), 1);
    QCOMPARE(seen.constFirst().error(), QSslError::SelfSignedCertificate);
    for (const QSslError& error : std::as_const(seen)) {
        qInfo("a client without the certificate sees: %d %s", int(error.error()),
              qPrintable(error.errorString()));
        QCOMPARE(error.certificate(), certificate);
    }

    // Ignoring exactly those errors for exactly this certificate (what a
    // client that compared the fingerprint does) connects.
    TestClient pinning;
    pinning.socket().ignoreSslErrors(seen);
    QVERIFY(pinning.open(server.url(), 5000));
    QVERIFY(pinning.signUp(QStringLiteral("judy")));
    QCOMPARE(fingerprintOf(pinning.socket().sslConfiguration().peerCertificate()),
             printedFingerprint(server));
}

void TestServerTls::plainClientsAndGarbageAreDroppedCleanly()
{
    QTemporaryDir dir;
    ServerProcess server;
    QVERIFY(startAuto(server, dir));

    // A ws:// client on the wss:// port: no connection, no effect on the server.
    QUrl plainUrl = server.url();
    plainUrl.setScheme(QStringLiteral("ws"));
    TestClient plain;
    QVERIFY(!plain.open(plainUrl, 5000));

    // Garbage: dropped.
    QTcpSocket raw;
    raw.connectToHost(QHostAddress::LocalHost, server.url().port());
    QVERIFY(raw.waitForConnected(3000));
    raw.write(QByteArray(3000, '\x7f'));
    QTRY_VERIFY_WITH_TIMEOUT(raw.state() == QAbstractSocket::UnconnectedState, 5000);
    QTRY_COMPARE(metric(opsGet(server, "/metrics"), "confab_tls_handshake_failures_total"), 2.0);

    // TLS clients still work.
    auto erin = signUpAt(server.url(), QStringLiteral("erin"));
    QVERIFY(erin);
    QVERIFY(server.isRunning());
}

void TestServerTls::stalledHandshakeIsDroppedByTheDeadline()
{
    QTemporaryDir dir;
    ServerProcess server;
    QVERIFY(startAuto(server, dir));

    // A TLS record header announcing a 512-byte ClientHello, then its first
    // bytes only: the server waits for the rest, until its handshake deadline.
    QByteArray halfHello = QByteArray::fromHex("1603010200010001fc0303");
    halfHello += QByteArray(32, '\x2a');
    QTcpSocket stalled;
    stalled.connectToHost(QHostAddress::LocalHost, server.url().port());
    QVERIFY(stalled.waitForConnected(3000));
    stalled.write(halfHello);
    QVERIFY(stalled.waitForBytesWritten(3000));

    // Others are served meanwhile.
    auto frank = signUpAt(server.url(), QStringLiteral("frank"));
    auto grace = signUpAt(server.url(), QStringLiteral("grace"));
    QVERIFY(frank && grace);
    const qint64 room = createGroup(*frank, QStringLiteral("meanwhile"), {grace->userId});
    QVERIFY(sendMessage(*frank, room, QStringLiteral("still here")) > 0);
    QCOMPARE(contentOf(grace->waitFor(QStringLiteral("message"))), QStringLiteral("still here"));
    QCOMPARE(stalled.state(), QAbstractSocket::ConnectedState);

    // The deadline is 10 s from the connection.
    QTRY_VERIFY_WITH_TIMEOUT(stalled.state() == QAbstractSocket::UnconnectedState, 15000);
    QVERIFY(frank->isConnected() && grace->isConnected());
}

void TestServerTls::largeMessagesAndBurstsRoundTrip()
{
    QTemporaryDir dir;
    ServerProcess server;
    QVERIFY(startAuto(server, dir, {QStringLiteral("--max-unsent-bytes"), QStringLiteral("67108864")}));
    auto heidi = signUpAt(server.url(), QStringLiteral("heidi"));
    auto ivan = signUpAt(server.url(), QStringLiteral("ivan"));
    QVERIFY(heidi && ivan);
    const qint64 room = createGroup(*heidi, QStringLiteral("bulk"), {ivan->userId});
    QVERIFY(room > 0);

    // Close to the 256 KiB frame limit: 100,000 two-byte characters, 200 KB
    // of UTF-8 plus the envelope, several TLS records each way.
    QString large(100000, QChar(0x00e9));
    for (int i = 0; i < large.size(); i += 997)
        large[i] = QChar(u'a' + i % 26); // not one repeated byte: a shifted record would show
    for (int round = 0; round < 3; ++round) {
        const QString content = QString::number(round) + large.mid(1);
        QVERIFY(sendMessage(*heidi, room, content) > 0);
        QCOMPARE(contentOf(ivan->waitFor(QStringLiteral("message"), 10000)), content);
    }

    // 1,000 messages pipelined: queued frames leave in gathered chunks, and
    // the 1,000 events to each reader (2,000 frames in all) arrive whole and
    // in order, with 40 large ones among them (8 MB to each reader: more
    // than the kernel buffers while nobody reads).
    const QByteArray before = opsGet(server, "/metrics");
    QStringList ids;
    QStringList sent;
    for (int i = 0; i < 1000; ++i) {
        const QString content = i % 25 == 0 ? QStringLiteral("%1:").arg(i) + large.left(99990)
                                            : QStringLiteral("burst %1 ").arg(i) + QString(i % 200, u'x');
        sent.append(content);
        ids.append(heidi->sendWithId(QStringLiteral("send_message"),
                                     {{QStringLiteral("roomId"), double(room)},
                                      {QStringLiteral("content"), content},
                                      {QStringLiteral("tempId"), QStringLiteral("t-%1").arg(i)}}));
    }
    // Neither client reads for a while: the server's writes to both fill
    // their sockets and wait (WANT_WRITE), then go on where they stopped.
    // At least 1.5 s, and until a write has waited (bounded): a slow store
    // (PostgreSQL on a loaded machine) takes longer to produce the 8 MB.
    // opsGet() blocks on its own socket, so the clients still read nothing.
    const double waitsBefore = metric(before, "confab_socket_write_waits_total");
    QElapsedTimer idle;
    idle.start();
    while (idle.elapsed() < 1500 ||
           (idle.elapsed() < 20000 &&
            metric(opsGet(server, "/metrics"), "confab_socket_write_waits_total") <= waitsBefore)) {
        heidi->socket().flush();
        QThread::msleep(100);
    }
    for (const QString& id : ids)
        QCOMPARE(typeOf(heidi->waitForReply(id, 30000)), QStringLiteral("message_ack"));
    for (int i = 0; i < 1000; ++i)
        QCOMPARE(contentOf(ivan->waitFor(QStringLiteral("message"), 30000)), sent.at(i));
    QVERIFY(ivan->isConnected());
    // Small frames shared TLS writes: fewer SSL_write calls than frames.
    const QByteArray after = opsGet(server, "/metrics");
    const double calls =
        metric(after, "confab_socket_send_calls_total") - metric(before, "confab_socket_send_calls_total");
    const double frames =
        metric(after, "confab_frames_written_total") - metric(before, "confab_frames_written_total");
    const double waits =
        metric(after, "confab_socket_write_waits_total") - metric(before, "confab_socket_write_waits_total");
    qInfo("%.0f TLS writes for %.0f frames; %.0f waits for a full socket", calls, frames, waits);
    QVERIFY2(frames >= 2000 && calls < frames,
             qPrintable(QStringLiteral("%1 writes for %2 frames").arg(calls).arg(frames)));
    QCOMPARE(metric(after, "confab_tls_handshakes_total"), 2.0);
    QVERIFY(waits > 0);
    QVERIFY(server.terminate());
}

CONFAB_TEST_MAIN(TestServerTls)
#include "tst_server_tls.moc"
