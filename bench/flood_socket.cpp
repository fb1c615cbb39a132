#include "flood_socket.h"

#include <QJsonDocument>

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace confab::bench {

using server::ws::Opcode;

FloodSocket::FloodSocket()
    : m_parser(64 * 1024 * 1024, server::ws::FrameParser::Peer::Server)
{}

FloodSocket::~FloodSocket()
{
    close();
}

QByteArray FloodSocket::frame(Opcode opcode, QByteArrayView payload)
{
    return server::ws::encodeMaskedFrame(opcode, payload, 0x0badf00d);
}

QByteArray FloodSocket::request(const QString& type, const QJsonObject& payload, const QString& id)
{
    QJsonObject envelope{{QStringLiteral("type"), type}, {QStringLiteral("payload"), payload}};
    if (!id.isEmpty())
        envelope.insert(QStringLiteral("id"), id);
    return frame(Opcode::Text, QJsonDocument(envelope).toJson(QJsonDocument::Compact));
}

bool FloodSocket::open(const QUrl& url, const QString& target)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(quint16(url.port()));
    if (::inet_pton(AF_INET, url.host().toLatin1().constData(), &address.sin_addr) != 1)
        ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS)
        return false;
    pollfd p{m_fd, POLLOUT, 0};
    if (::poll(&p, 1, 10000) != 1)
        return false;
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if (error != 0)
        return false;
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    const QByteArray upgrade =
        "GET " + target.toUtf8() + " HTTP/1.1\r\nHost: " + url.host().toUtf8() +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    return writeSome(upgrade) == upgrade.size(); // a fresh socket takes a few hundred bytes
}

qint64 FloodSocket::writeSome(QByteArrayView bytes)
{
    if (m_fd < 0 || m_gone)
        return -1;
    const ssize_t n = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0) {
        written += n;
        return n;
    }
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return 0;
    m_gone = true;
    return -1;
}

bool FloodSocket::drain()
{
    char buffer[64 * 1024];
    while (m_fd >= 0 && !m_gone) {
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            parse(QByteArrayView(buffer, n));
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return true;
        if (n < 0 && errno == EINTR)
            continue;
        m_gone = true; // EOF or a reset
    }
    return !m_gone;
}

void FloodSocket::parse(QByteArrayView bytes)
{
    if (!m_headDone) {
        m_head.append(bytes);
        const qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        m_headDone = true;
        const QByteArray rest = m_head.mid(end + 4);
        m_head = QByteArray();
        if (!rest.isEmpty())
            parse(rest);
        return;
    }
    m_parser.feed(bytes, [this](Opcode opcode, QByteArray payload) {
        if (opcode == Opcode::Pong) {
            ++pongs;
            return;
        }
        if (opcode != Opcode::Text)
            return;
        const QJsonObject message = QJsonDocument::fromJson(payload).object();
        QString type = message.value(QLatin1String("type")).toString();
        if (type == QLatin1String("error"))
            type +=
                QLatin1Char(':') +
                message.value(QLatin1String("payload")).toObject().value(QLatin1String("code")).toString();
        ++textsByType[type];
        if (message.contains(QLatin1String("id")))
            ++replies;
        if (keepTexts)
            texts.append(message);
    });
}

void FloodSocket::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
}

} // namespace confab::bench
