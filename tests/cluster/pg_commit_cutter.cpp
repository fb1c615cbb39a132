#include "pg_commit_cutter.h"

#include <QtEndian>

namespace confab::test {
namespace {

constexpr quint32 kSslRequest = 80877103;
constexpr quint32 kGssEncRequest = 80877104;

quint32 int32At(const QByteArray& bytes, qsizetype at)
{
    return qFromBigEndian<quint32>(bytes.constData() + at);
}

} // namespace

struct PgCommitCutter::Link {
    QTcpSocket* client = nullptr;
    QTcpSocket* server = nullptr;
    QByteArray fromClient; // not yet parsed into whole messages
    QByteArray fromServer; // only while a cut COMMIT's answer is awaited
    bool startup = true;   // the next client message is untyped (startup, SSL/GSS request)
    bool marked = false;   // sent the marker: its next COMMIT is cut
    bool cutting = false;  // COMMIT forwarded, its answer being swallowed
    bool gone = false;
};

PgCommitCutter::PgCommitCutter(QString targetHost, quint16 targetPort, QObject* parent)
    : QObject(parent)
    , m_host(std::move(targetHost))
    , m_port(targetPort)
{
    connect(&m_server, &QTcpServer::newConnection, this, &PgCommitCutter::accept);
}

PgCommitCutter::~PgCommitCutter()
{
    for (auto& link : m_links) {
        link->client->disconnect(this);
        link->server->disconnect(this);
    }
}

bool PgCommitCutter::listen()
{
    return m_server.listen(QHostAddress::LocalHost, 0);
}

void PgCommitCutter::accept()
{
    while (QTcpSocket* client = m_server.nextPendingConnection()) {
        auto link = std::make_unique<Link>();
        Link* l = link.get();
        l->client = client;
        client->setParent(this);
        l->server = new QTcpSocket(this);
        l->server->connectToHost(m_host, m_port);
        connect(client, &QTcpSocket::readyRead, this, [this, l] { fromClient(*l); });
        connect(l->server, &QTcpSocket::readyRead, this, [this, l] { fromServer(*l); });
        connect(client, &QTcpSocket::disconnected, l->server, &QTcpSocket::disconnectFromHost);
        connect(l->server, &QTcpSocket::disconnected, client, &QTcpSocket::disconnectFromHost);
        m_links.push_back(std::move(link));
    }
}

void PgCommitCutter::fromClient(Link& link)
{
    if (link.gone)
        return;
    link.fromClient += link.client->readAll();
    QByteArray forward;
    for (;;) {
        QByteArray& in = link.fromClient;
        if (link.startup) { // Int32 length (itself included), Int32 code, ...
            if (in.size() < 8 || in.size() < qsizetype(int32At(in, 0)))
                break;
            const qsizetype length = int32At(in, 0);
            const quint32 code = int32At(in, 4);
            forward += in.left(length);
            in.remove(0, length);
            link.startup = code == kSslRequest || code == kGssEncRequest; // the startup follows
            continue;
        }
        if (in.size() < 5 || in.size() < 1 + qsizetype(int32At(in, 1)))
            break;
        const qsizetype length = 1 + qsizetype(int32At(in, 1));
        const QByteArray message = in.left(length);
        in.remove(0, length);
        forward += message;
        if (message.at(0) != 'Q' || m_marker.isEmpty())
            continue;
        const QByteArray query = message.mid(5, message.size() - 6); // without the final NUL
        if (query.contains(m_marker))
            link.marked = true;
        else if (link.marked && query.trimmed().compare("COMMIT", Qt::CaseInsensitive) == 0) {
            link.cutting = true;
            m_marker.clear();
            break; // nothing after the COMMIT is sent
        }
    }
    link.server->write(forward);
}

void PgCommitCutter::fromServer(Link& link)
{
    if (link.gone)
        return;
    const QByteArray bytes = link.server->readAll();
    if (!link.cutting) {
        link.client->write(bytes);
        return;
    }
    // Swallow the COMMIT's answer up to ReadyForQuery: committed, unheard.
    link.fromServer += bytes;
    for (qsizetype at = 0; at + 5 <= link.fromServer.size();) {
        const char type = link.fromServer.at(at);
        at += 1 + qsizetype(int32At(link.fromServer, at + 1));
        if (type == 'Z' && at <= link.fromServer.size())
            return cut(link);
    }
}

void PgCommitCutter::cut(Link& link)
{
    link.gone = true;
    ++m_cut;
    link.client->abort();
    link.server->abort();
}

} // namespace confab::test
