#include "raw_ws_client.h"

#include "ws/ws_handshake.h"

#include <QRandomGenerator>
#include <QSocketNotifier>

#include <cerrno>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace confab::bench {
namespace {

using server::ws::Opcode;

constexpr qsizetype kReadChunk = 64 * 1024;
constexpr int kReadsPerWakeUp = 4;            // then the worker's other sockets get their turn
constexpr qsizetype kMaxResponseHead = 16384; // the server's 101 is about 130 bytes

QString systemError(const char* what, int error)
{
    return QString::fromLatin1(what) + QStringLiteral(": ") + QString::fromLocal8Bit(std::strerror(error));
}

// The value of header `name` in a response head, or an empty array.
QByteArray headerValue(QByteArrayView head, QByteArrayView name)
{
    for (QByteArrayView line : head.toByteArray().split('\n')) {
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(colon + 1).trimmed().toByteArray();
    }
    return {};
}

} // namespace

RawWsClient::RawWsClient(Listener& listener, int id, qint64 maxMessageBytes)
    : m_listener(listener)
    , m_id(id)
    , m_parser(maxMessageBytes, server::ws::FrameParser::Peer::Server)
{}

RawWsClient::~RawWsClient()
{
    release();
}

void RawWsClient::open(const QHostAddress& address, quint16 port, const QByteArray& target,
                       const QByteArray& hostHeader)
{
    sockaddr_storage storage{};
    socklen_t length = 0;
    if (address.protocol() == QAbstractSocket::IPv6Protocol) {
        auto* in6 = reinterpret_cast<sockaddr_in6*>(&storage);
        in6->sin6_family = AF_INET6;
        in6->sin6_port = htons(port);
        const Q_IPV6ADDR bytes = address.toIPv6Address();
        std::memcpy(&in6->sin6_addr, &bytes, sizeof bytes);
        length = sizeof *in6;
    } else {
        auto* in4 = reinterpret_cast<sockaddr_in*>(&storage);
        in4->sin_family = AF_INET;
        in4->sin_port = htons(port);
        in4->sin_addr.s_addr = htonl(address.toIPv4Address());
        length = sizeof *in4;
    }
    m_fd = ::socket(storage.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m_fd < 0)
        return fail(systemError("socket", errno)); // e.g. out of file descriptors
    // Each send is one whole frame in one call: Nagle could only delay it.
    const int one = 1;
    ::setsockopt(m_fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);

    quint32 nonce[4];
    QRandomGenerator::global()->fillRange(nonce);
    m_key = QByteArray(reinterpret_cast<const char*>(nonce), sizeof nonce).toBase64();
    m_out = "GET " + target + " HTTP/1.1\r\nHost: " + hostHeader +
            "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + m_key +
            "\r\nSec-WebSocket-Version: 13\r\n\r\n";

    m_state = State::Connecting;
    m_writeNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Write);
    QObject::connect(m_writeNotifier, &QSocketNotifier::activated, [this] { onWritable(); });
    if (::connect(m_fd, reinterpret_cast<const sockaddr*>(&storage), length) == 0)
        return connected();
    if (errno != EINPROGRESS)
        return fail(systemError("connect", errno));
    // The write notifier fires once the connect has succeeded or failed.
}

void RawWsClient::onWritable()
{
    if (m_state != State::Connecting)
        return flush();
    int error = 0;
    socklen_t size = sizeof error;
    if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &size) < 0)
        error = errno;
    if (error != 0)
        return fail(systemError("connect", error));
    connected();
}

void RawWsClient::connected()
{
    m_state = State::Handshaking;
    m_readNotifier = new QSocketNotifier(qintptr(m_fd), QSocketNotifier::Read);
    QObject::connect(m_readNotifier, &QSocketNotifier::activated, [this] { onReadable(); });
    flush(); // the upgrade request
}

void RawWsClient::sendFrame(QByteArrayView maskedFrame)
{
    if (m_state != State::Open)
        return;
    queue(maskedFrame);
}

void RawWsClient::sendControl(Opcode opcode, QByteArrayView payload)
{
    queue(server::ws::encodeMaskedFrame(opcode, payload, QRandomGenerator::global()->generate()));
}

// Straight to the kernel when nothing waits ahead of these bytes; the common
// case costs one send() and no copy.
void RawWsClient::queue(QByteArrayView bytes)
{
    if (m_fd < 0 || bytes.isEmpty())
        return;
    if (!m_out.isEmpty()) {
        m_out.append(bytes);
        return;
    }
    const ssize_t sent = ::send(m_fd, bytes.data(), size_t(bytes.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        return fail(systemError("send", errno));
    m_out = bytes.sliced(std::max<qsizetype>(0, sent)).toByteArray();
    if (!m_out.isEmpty())
        flush();
}

void RawWsClient::flush()
{
    while (!m_out.isEmpty()) {
        const ssize_t sent =
            ::send(m_fd, m_out.constData(), size_t(m_out.size()), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return m_writeNotifier->setEnabled(true);
            return fail(systemError("send", errno));
        }
        m_out.remove(0, sent);
    }
    // Kept but off: an enabled write notifier fires on every loop pass.
    m_writeNotifier->setEnabled(false);
}

void RawWsClient::onReadable()
{
    char buffer[kReadChunk];
    for (int round = 0; round < kReadsPerWakeUp && m_fd >= 0; ++round) {
        const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (got > 0) {
            const QByteArrayView bytes(buffer, got);
            if (m_state == State::Handshaking)
                handleHandshake(bytes);
            else
                handleFrames(bytes);
            if (got < qsizetype(sizeof buffer))
                return;
            continue;
        }
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (got < 0)
            return fail(systemError("recv", errno));
        // EOF: after a close frame, that is the end the RFC describes.
        return fail(m_state == State::Closing ? QStringLiteral("closed by the server")
                    : m_state == State::Handshaking
                        ? QStringLiteral("the server closed the connection during the handshake")
                        : QStringLiteral("the server closed the connection"));
    }
}

void RawWsClient::handleHandshake(QByteArrayView bytes)
{
    m_head.append(bytes);
    const qsizetype end = m_head.indexOf("\r\n\r\n");
    if (end < 0) {
        if (m_head.size() > kMaxResponseHead)
            fail(QStringLiteral("handshake: response head too large"));
        return;
    }
    const QByteArrayView head = QByteArrayView(m_head).first(end);
    const QByteArrayView statusLine = head.first(std::max<qsizetype>(0, head.indexOf('\r')));
    // "HTTP/1.1 101 Switching Protocols": reported as "HTTP 101 ...", so a
    // refusal names its status ("HTTP 503 Service Unavailable").
    const qsizetype space = statusLine.indexOf(' ');
    const QByteArrayView status = space < 0 ? statusLine : statusLine.sliced(space + 1);
    if (!status.startsWith("101 ") && status != "101")
        return fail(QStringLiteral("HTTP ") + QString::fromLatin1(status));
    if (headerValue(head, "Sec-WebSocket-Accept") != server::ws::acceptKey(m_key))
        return fail(QStringLiteral("handshake: wrong Sec-WebSocket-Accept"));
    const QByteArray rest = m_head.mid(end + 4); // frames the server sent right behind its 101
    m_head = QByteArray();
    m_key = QByteArray();
    m_state = State::Open;
    m_listener.wsOpened(m_id);
    if (!rest.isEmpty() && m_state == State::Open)
        handleFrames(rest);
}

void RawWsClient::handleFrames(QByteArrayView bytes)
{
    const auto error = m_parser.feed(
        bytes, [this](Opcode opcode, QByteArray payload) { handleFrame(opcode, std::move(payload)); });
    if (error && m_fd >= 0)
        fail(QStringLiteral("protocol error: ") + QString::fromUtf8(error->reason));
}

void RawWsClient::handleFrame(Opcode opcode, QByteArray payload)
{
    switch (opcode) {
    case Opcode::Text:
        if (m_state == State::Open) // not once aborted, nor after a close frame
            m_listener.wsText(m_id, payload);
        return;
    case Opcode::Ping:
        if (m_state == State::Open)
            sendControl(Opcode::Pong, payload);
        return;
    case Opcode::Close:
        // Echo it as the RFC asks; the server then shuts the connection and
        // the EOF ends this client.
        if (m_state == State::Open) {
            const auto info = server::ws::parseClosePayload(payload);
            const quint16 code = info && info->code != server::ws::close_code::NoStatus
                                     ? info->code
                                     : server::ws::close_code::Normal;
            const char echo[2] = {char(code >> 8), char(code & 0xFF)};
            sendControl(Opcode::Close, QByteArrayView(echo, 2));
            if (m_state == State::Open)
                m_state = State::Closing;
        }
        return;
    case Opcode::Binary:
    case Opcode::Pong:
    case Opcode::Continuation:
        return; // nothing the tool measures
    }
}

void RawWsClient::abort()
{
    release();
}

void RawWsClient::fail(const QString& why)
{
    if (m_state == State::Closed)
        return;
    release();
    m_listener.wsClosed(m_id, why);
}

// Safe from inside a notifier's own activation: QSocketNotifier guards its
// signal emission, and both dispatchers drop a notifier unregistered mid-pass.
void RawWsClient::release()
{
    delete m_readNotifier; // before the descriptor goes away
    m_readNotifier = nullptr;
    delete m_writeNotifier;
    m_writeNotifier = nullptr;
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    m_out = QByteArray();
    m_head = QByteArray();
    if (m_state != State::Idle)
        m_state = State::Closed;
}

} // namespace confab::bench
