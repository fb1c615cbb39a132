#include "raw_ws_client.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QRegularExpression>

#include <arpa/inet.h>
#include <cerrno>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace confab::test {

using server::ws::Opcode;

RawWsClient::RawWsClient()
    : m_parser(64 * 1024 * 1024, server::ws::FrameParser::Peer::Server)
{}

RawWsClient::~RawWsClient()
{
    close();
}

QByteArray RawWsClient::upgrade(const QString& target, const QByteArray& extraHeaders)
{
    return "GET " + target.toUtf8() +
           " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" +
           extraHeaders + "\r\n";
}

QByteArray RawWsClient::frame(Opcode opcode, QByteArrayView payload)
{
    return server::ws::encodeMaskedFrame(opcode, payload, 0x5a17c0de);
}

QByteArray RawWsClient::request(const QString& type, const QJsonObject& payload, const QString& id)
{
    QJsonObject envelope{{QStringLiteral("type"), type}, {QStringLiteral("payload"), payload}};
    if (!id.isEmpty())
        envelope.insert(QStringLiteral("id"), id);
    return frame(Opcode::Text, QJsonDocument(envelope).toJson(QJsonDocument::Compact));
}

bool RawWsClient::connectTo(const QUrl& url)
{
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return false;
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(quint16(url.port()));
    ::inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
    if (::connect(m_fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 && errno != EINPROGRESS)
        return false;
    pollfd p{m_fd, POLLOUT, 0};
    if (::poll(&p, 1, 5000) != 1)
        return false;
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length);
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return error == 0;
}

qint64 RawWsClient::writeSome(QByteArrayView bytes)
{
    if (m_fd < 0 || m_closed)
        return -1;
    const ssize_t n = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n >= 0)
        return n;
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
        return 0;
    m_closed = true;
    return -1;
}

bool RawWsClient::writeAll(QByteArrayView bytes, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!bytes.isEmpty()) {
        const qint64 n = writeSome(bytes);
        if (n < 0 || clock.elapsed() > timeoutMs)
            return false;
        bytes = bytes.sliced(n);
        if (n == 0) {
            pollfd p{m_fd, POLLOUT, 0};
            ::poll(&p, 1, 5);
            QCoreApplication::processEvents();
        }
    }
    return true;
}

bool RawWsClient::readUntil(const std::function<bool()>& done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    char buffer[64 * 1024];
    while (!done()) {
        if (m_closed || clock.elapsed() > timeoutMs)
            return false;
        const ssize_t n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n > 0) {
            parse(QByteArrayView(buffer, n));
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
            m_closed = true;
            continue;
        }
        pollfd p{m_fd, POLLIN, 0};
        ::poll(&p, 1, 5);
        QCoreApplication::processEvents();
    }
    return true;
}

void RawWsClient::parse(QByteArrayView bytes)
{
    if (responseHead.isEmpty()) {
        m_head.append(bytes);
        const qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end < 0)
            return;
        responseHead = m_head.left(end + 4);
        const QByteArray rest = m_head.mid(end + 4);
        m_head.clear();
        bytes = {};
        if (!rest.isEmpty())
            parse(rest);
        return;
    }
    m_parser.feed(bytes, [this](Opcode opcode, QByteArray payload) {
        if (opcode == Opcode::Text)
            messages.append(QJsonDocument::fromJson(payload).object());
        else if (opcode == Opcode::Pong)
            ++pongs;
        else
            ++otherFrames;
    });
}

void RawWsClient::close()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_closed = true;
}

qint64 residentKiB(qint64 pid)
{
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (!status.open(QIODevice::ReadOnly))
        return 0;
    const QRegularExpression line(QStringLiteral("^VmRSS:\\s+(\\d+) kB"),
                                  QRegularExpression::MultilineOption);
    const QRegularExpressionMatch match = line.match(QString::fromLatin1(status.readAll()));
    return match.hasMatch() ? match.captured(1).toLongLong() : 0;
}

} // namespace confab::test
