#include "tls_front.h"

#include <QCryptographicHash>
#include <QFile>
#include <QProcess>
#include <QSslConfiguration>
#include <QWebSocket>

namespace confab::test {

namespace {

bool runOpenssl(const QStringList& arguments, const QString& workingDir)
{
    QProcess openssl;
    openssl.setWorkingDirectory(workingDir);
    openssl.setProcessChannelMode(QProcess::MergedChannels);
    openssl.start(QStringLiteral("openssl"), arguments);
    if (!openssl.waitForFinished(30000) || openssl.exitStatus() != QProcess::NormalExit ||
        openssl.exitCode() != 0) {
        qWarning("openssl %s failed: %s %s", qPrintable(arguments.join(QLatin1Char(' '))),
                 qPrintable(openssl.errorString()), openssl.readAll().constData());
        return false;
    }
    return true;
}

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

QString TestCertificate::fingerprint() const
{
    return QString::fromLatin1(certificate.digest(QCryptographicHash::Sha256).toHex(':').toUpper());
}

std::optional<TestCertificate> TestCertificate::selfSigned(const QString& dir, const QString& name,
                                                           bool expired)
{
    const QString certFile = name + QStringLiteral(".pem");
    const QString keyFile = name + QStringLiteral(".key");
    const QString subject = QStringLiteral("/CN=") + name;
    const QStringList newKey{QStringLiteral("-newkey"),
                             QStringLiteral("ec"),
                             QStringLiteral("-pkeyopt"),
                             QStringLiteral("ec_paramgen_curve:P-256"),
                             QStringLiteral("-nodes"),
                             QStringLiteral("-keyout"),
                             keyFile,
                             QStringLiteral("-subj"),
                             subject};
    if (!expired) {
        if (!runOpenssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-days"),
                                    QStringLiteral("30"), QStringLiteral("-out"), certFile} +
                            newKey,
                        dir))
            return std::nullopt;
    } else {
        // `req -x509` takes no dates in the past (OpenSSL 3.0); `ca -selfsign`
        // takes any, with a throwaway CA database.
        const QString csr = name + QStringLiteral(".csr");
        const QString conf = name + QStringLiteral(".cnf");
        QFile config(dir + QLatin1Char('/') + conf);
        QFile(dir + QLatin1Char('/') + name + QStringLiteral(".index")).open(QIODevice::WriteOnly);
        QFile serial(dir + QLatin1Char('/') + name + QStringLiteral(".serial"));
        if (!config.open(QIODevice::WriteOnly) || !serial.open(QIODevice::WriteOnly))
            return std::nullopt;
        serial.write("01\n");
        serial.close();
        config.write(
            QStringLiteral("[ca]\ndefault_ca = test\n[test]\ndatabase = %1.index\nnew_certs_dir = .\n"
                           "serial = %1.serial\ndefault_md = sha256\npolicy = any\n"
                           "[any]\ncommonName = supplied\n")
                .arg(name)
                .toUtf8());
        config.close();
        if (!runOpenssl(
                QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-out"), csr} +
                    newKey,
                dir) ||
            !runOpenssl({QStringLiteral("ca"), QStringLiteral("-batch"), QStringLiteral("-config"), conf,
                         QStringLiteral("-selfsign"), QStringLiteral("-keyfile"), keyFile,
                         QStringLiteral("-in"), csr, QStringLiteral("-out"), certFile,
                         QStringLiteral("-notext"), QStringLiteral("-startdate"),
                         QStringLiteral("20200101000000Z"), QStringLiteral("-enddate"),
                         QStringLiteral("20200201000000Z")},
                        dir))
            return std::nullopt;
    }
    TestCertificate made;
    made.certificate = QSslCertificate(readFile(dir + QLatin1Char('/') + certFile), QSsl::Pem);
    made.key = QSslKey(readFile(dir + QLatin1Char('/') + keyFile), QSsl::Ec, QSsl::Pem);
    if (made.certificate.isNull() || made.key.isNull()) {
        qWarning("openssl made a certificate or key Qt cannot read in %s", qPrintable(dir));
        return std::nullopt;
    }
    return made;
}

std::optional<TestCertificate> TestCertificate::issuedByNewCa(const QString& dir, const QString& name,
                                                              QSslCertificate* authority)
{
    const QString ca = name + QStringLiteral("-ca");
    const QString extensions = name + QStringLiteral(".ext");
    QFile extFile(dir + QLatin1Char('/') + extensions);
    if (!extFile.open(QIODevice::WriteOnly))
        return std::nullopt;
    extFile.write(
        "subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\nextendedKeyUsage = serverAuth\n");
    extFile.close();
    const auto newKey = [](const QString& keyFile, const QString& subject) {
        return QStringList{QStringLiteral("-newkey"),
                           QStringLiteral("ec"),
                           QStringLiteral("-pkeyopt"),
                           QStringLiteral("ec_paramgen_curve:P-256"),
                           QStringLiteral("-nodes"),
                           QStringLiteral("-keyout"),
                           keyFile,
                           QStringLiteral("-subj"),
                           subject};
    };
    if (!runOpenssl(QStringList{QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-days"),
                                QStringLiteral("30"), QStringLiteral("-out"), ca + QStringLiteral(".pem")} +
                        newKey(ca + QStringLiteral(".key"), QStringLiteral("/CN=") + ca),
                    dir) ||
        !runOpenssl(QStringList{QStringLiteral("req"), QStringLiteral("-new"), QStringLiteral("-out"),
                                name + QStringLiteral(".csr")} +
                        newKey(name + QStringLiteral(".key"), QStringLiteral("/CN=127.0.0.1")),
                    dir) ||
        !runOpenssl({QStringLiteral("x509"), QStringLiteral("-req"), QStringLiteral("-in"),
                     name + QStringLiteral(".csr"), QStringLiteral("-CA"), ca + QStringLiteral(".pem"),
                     QStringLiteral("-CAkey"), ca + QStringLiteral(".key"), QStringLiteral("-CAcreateserial"),
                     QStringLiteral("-days"), QStringLiteral("30"), QStringLiteral("-extfile"), extensions,
                     QStringLiteral("-out"), name + QStringLiteral(".pem")},
                    dir))
        return std::nullopt;
    *authority = QSslCertificate(readFile(dir + QLatin1Char('/') + ca + QStringLiteral(".pem")), QSsl::Pem);
    TestCertificate made;
    made.certificate =
        QSslCertificate(readFile(dir + QLatin1Char('/') + name + QStringLiteral(".pem")), QSsl::Pem);
    made.key = QSslKey(readFile(dir + QLatin1Char('/') + name + QStringLiteral(".key")), QSsl::Ec, QSsl::Pem);
    if (authority->isNull() || made.certificate.isNull() || made.key.isNull())
        return std::nullopt;
    return made;
}

TlsFront::TlsFront(const QUrl& backend, QObject* parent)
    : QObject(parent)
    , m_backend(backend)
{}

TlsFront::~TlsFront()
{
    close();
}

bool TlsFront::listen(const TestCertificate& certificate, quint16 port)
{
    close();
    m_server = new QWebSocketServer(QStringLiteral("tls-front"), QWebSocketServer::SecureMode, this);
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(certificate.certificate);
    tls.setPrivateKey(certificate.key);
    tls.setPeerVerifyMode(QSslSocket::VerifyNone); // clients bring no certificate
    m_server->setSslConfiguration(tls);
    connect(m_server, &QWebSocketServer::newConnection, this, &TlsFront::onNewConnection);
    if (!m_server->listen(QHostAddress::LocalHost, port)) {
        qWarning("TlsFront: cannot listen on %d: %s", port, qPrintable(m_server->errorString()));
        return false;
    }
    m_port = m_server->serverPort();
    return true;
}

void TlsFront::close()
{
    if (m_server) {
        m_server->close();
        delete m_server;
        m_server = nullptr;
    }
    for (QObject* link : std::exchange(m_links, {}))
        delete link; // aborts both sockets
}

bool TlsFront::restart(const TestCertificate& certificate)
{
    return listen(certificate, m_port);
}

QUrl TlsFront::url() const
{
    return QUrl(QStringLiteral("wss://127.0.0.1:%1").arg(m_port));
}

void TlsFront::onNewConnection()
{
    while (QWebSocket* client = m_server->nextPendingConnection()) {
        ++m_accepted;
        auto* link = new QObject(this);
        m_links.append(link);
        client->setParent(link);
        auto* backend = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, link);
        auto queued = std::make_shared<QStringList>(); // frames before the backend is up
        connect(client, &QWebSocket::textMessageReceived, backend, [backend, queued](const QString& text) {
            if (backend->state() == QAbstractSocket::ConnectedState)
                backend->sendTextMessage(text);
            else
                queued->append(text);
        });
        connect(backend, &QWebSocket::connected, backend, [backend, queued] {
            for (const QString& text : std::exchange(*queued, {}))
                backend->sendTextMessage(text);
        });
        connect(backend, &QWebSocket::textMessageReceived, client, &QWebSocket::sendTextMessage);
        const auto unlink = [this, link] {
            if (m_links.removeOne(link))
                link->deleteLater();
        };
        connect(client, &QWebSocket::disconnected, link, unlink);
        connect(backend, &QWebSocket::disconnected, link, unlink);
        backend->open(m_backend);
    }
}

} // namespace confab::test
