#include "session.h"

#include "protocol/event_names.h"
#include "protocol/file_chunk.h"
#include "protocol/limits.h"
#include "protocol/requests.h"
#include "server_address.h"

#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>
#include <limits>
#include <utility>

namespace confab::client {

Q_LOGGING_CATEGORY(lcSession, "confab.client.session")

namespace {

// The server keeps every reply below it (protocol/limits.h, protocol/reply_size.h).
constexpr qint64 kMaxIncomingBytes = limits::kClientMaxFrameBytes;
constexpr int kConnectTimeoutMs = 10'000; // TCP + TLS + WebSocket handshake
constexpr int kAuthTimeoutMs = 15'000;    // register/login hash a password on the server
constexpr int kLogoutTimeoutMs = 3'000;
constexpr int kDefaultPingIntervalMs = 30'000;
constexpr int kMaxPongWaitMs = 10'000;

QString requestId(quint64 number)
{
    return QLatin1Char('c') + QString::number(number);
}

// The number behind one of our ids ("c17" -> 17), 0 for anything else.
quint64 requestNumber(const QJsonValue& id)
{
    const QString text = id.toString();
    if (!text.startsWith(QLatin1Char('c')))
        return 0;
    bool ok = false;
    const quint64 number = QStringView(text).mid(1).toULongLong(&ok);
    return ok ? number : 0;
}

QString lossReason(const QWebSocket& socket)
{
    if (!socket.closeReason().isEmpty())
        return QStringLiteral("closed by the server (%1 %2)")
            .arg(socket.closeCode())
            .arg(socket.closeReason());
    if (socket.error() != QAbstractSocket::UnknownSocketError)
        return socket.errorString();
    return QStringLiteral("connection closed");
}

Error errorOf(const Envelope& reply)
{
    if (reply.type != event::Error)
        return makeError(ErrorCode::Internal, QStringLiteral("unexpected reply: ") + reply.type);
    Result<Error> error = errorFromPayload(reply.payload);
    return error ? error.value() : makeError(ErrorCode::Internal, QStringLiteral("malformed error reply"));
}

} // namespace

Session::Session(QObject* parent)
    : QObject(parent)
{
    m_reconnectTimer.setSingleShot(true);
    // A coarse timer may fire up to 5% late, and remainingTime() then reports that
    // later moment: the banner's "next try in N s" would show more than the delay
    // chosen. One wake-up per try costs nothing.
    m_reconnectTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_reconnectTimer, &QTimer::timeout, this, [this] {
        openSocket();
        emit reconnectScheduleChanged();
    });
    m_connectTimer.setSingleShot(true);
    connect(&m_connectTimer, &QTimer::timeout, this,
            [this] { onSocketLost(m_socket, QStringLiteral("connection timed out")); });
    m_pongTimer.setSingleShot(true);
    connect(&m_pongTimer, &QTimer::timeout, this,
            [this] { onSocketLost(m_socket, QStringLiteral("no pong from the server")); });
    connect(&m_pingTimer, &QTimer::timeout, this, [this] {
        if (!m_socket)
            return;
        m_socket->ping();
        if (!m_pongTimer.isActive())
            m_pongTimer.start();
    });
    setPingInterval(kDefaultPingIntervalMs);
}

Session::~Session()
{
    dropSocket(false);
}

void Session::signIn(const QUrl& server, const QString& username, const QString& password)
{
    start(server, event::Login, LoginRequest{username, password}.toPayload());
}

void Session::signUp(const QUrl& server, const QString& username, const QString& password,
                     const QString& displayName, const QString& invite)
{
    start(server, event::Register, RegisterRequest{username, password, displayName, invite}.toPayload());
}

void Session::resume(const QUrl& server, const QString& token)
{
    start(server, event::Auth, AuthRequest{token}.toPayload());
}

void Session::start(const QUrl& server, QLatin1String type, const QJsonObject& payload)
{
    // A new start replaces whatever this session was doing.
    m_reconnectTimer.stop();
    m_signedIn = false;
    m_signingOut = false;
    dropSocket(false);
    m_authRequest = 0;
    failPending();
    m_url = server;
    m_user = User{};
    m_token.clear();
    m_authType = type;
    m_authPayload = payload;
    m_reconnectAttempt = 0;
    setPendingCertificate({});

    const QString scheme = server.scheme();
    if (!server.isValid() || server.host().isEmpty() ||
        (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))) {
        m_authPayload = {};
        setState(State::Disconnected);
        const Error error = makeError(ErrorCode::BadRequest,
                                      QStringLiteral("The server address must look like ws://host:port"));
        QMetaObject::invokeMethod(
            this, [this, error] { emit authenticationFailed(error); }, Qt::QueuedConnection);
        return;
    }
    setState(State::Connecting);
    openSocket();
}

void Session::openSocket()
{
    dropSocket(false);
    auto* socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    m_socket = socket;
    m_untrustedCertificate = {};
    m_refusedCertificate.clear();
    socket->setMaxAllowedIncomingFrameSize(kMaxIncomingBytes);
    socket->setMaxAllowedIncomingMessageSize(kMaxIncomingBytes);
    connect(socket, &QWebSocket::connected, this, &Session::onConnected);
    connect(socket, &QWebSocket::textMessageReceived, this, &Session::onTextMessage);
    connect(socket, &QWebSocket::binaryMessageReceived, this, &Session::onBinaryMessage);
    connect(socket, &QWebSocket::pong, this, [this] { m_pongTimer.stop(); });
    connect(socket, &QWebSocket::sslErrors, this,
            [this, socket](const QList<QSslError>& errors) { onSslErrors(socket, errors); });
    connect(socket, &QWebSocket::disconnected, this,
            [this, socket] { onSocketLost(socket, lossReason(*socket)); });
    // Also a failed handshake, which in Qt 6.4.2 leaves the socket connected.
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this, socket] { onSocketLost(socket, lossReason(*socket)); });
    qCDebug(lcSession) << "connecting to" << m_url.toDisplayString();
    m_connectTimer.start(kConnectTimeoutMs);
    socket->open(m_url);
}

void Session::onConnected()
{
    m_connectTimer.stop();
    if (m_pingTimer.interval() > 0)
        m_pingTimer.start();
    QLatin1String type = event::Auth;
    QJsonObject payload = AuthRequest{m_token}.toPayload();
    if (!m_signedIn) {
        setState(State::Authenticating);
        type = m_authType;
        payload = std::exchange(m_authPayload, {});
    }
    const QString id = sendRequest(
        type, payload, [this](const Envelope& reply) { onAuthReply(reply); }, kAuthTimeoutMs);
    m_authRequest = requestNumber(id);
}

void Session::onAuthReply(const Envelope& reply)
{
    m_authRequest = 0;
    if (reply.type == event::AuthOk) {
        Result<AuthOk> ok = AuthOk::fromPayload(reply.payload);
        if (!ok) {
            giveUp(ok.error());
            return;
        }
        const bool wasSignedIn = std::exchange(m_signedIn, true);
        m_user = ok->user;
        m_token = ok->token;
        m_policy = ok->policy;
        m_reconnectAttempt = 0;
        setState(State::Online);
        qCInfo(lcSession) << "signed in as" << m_user.username << (wasSignedIn ? "(reconnected)" : "");
        if (wasSignedIn)
            emit reconnected();
        else
            emit authenticated(m_user, m_token);
        return;
    }
    const Error error = errorOf(reply);
    // On a reconnect only a refused token ends the session; anything else
    // (rate limit, database down, timeout) is worth another try later.
    const bool tokenRefused =
        error.code == ErrorCode::InvalidCredentials || error.code == ErrorCode::BadRequest;
    if (m_signedIn && !tokenRefused) {
        qCWarning(lcSession) << "re-authentication failed:" << error.message << "- retrying";
        onSocketLost(m_socket, error.message);
        return;
    }
    giveUp(error);
}

// Sign-in (or the silent re-auth) failed for good: no retry.
void Session::giveUp(const Error& error)
{
    qCWarning(lcSession) << "authentication failed:" << errorCodeName(error.code) << error.message;
    m_signedIn = false;
    m_reconnectTimer.stop();
    m_authPayload = {};
    m_token.clear();
    dropSocket(true);
    failPending();
    setPendingCertificate({});
    setState(State::Disconnected);
    emit authenticationFailed(error);
}

void Session::onSocketLost(QWebSocket* socket, const QString& why)
{
    if (!socket || socket != m_socket)
        return; // a retired socket, or a second signal for the same loss
    const PendingCertificate untrusted = std::exchange(m_untrustedCertificate, {});
    const QString refusal = std::exchange(m_refusedCertificate, {});
    const QString reason =
        refusal.isEmpty() ? why : QStringLiteral("its TLS certificate cannot be used (%1)").arg(refusal);
    qCInfo(lcSession) << "connection lost:" << reason;
    dropSocket(false);
    if (m_authRequest) {
        m_pending.erase(m_authRequest); // its outcome is decided here
        m_authRequest = 0;
    }
    if (m_signingOut) {
        finishSignOut();
        return;
    }
    if (untrusted.isValid()) {
        // No retrying on our own: the next attempt would meet the same
        // certificate. The sign-in (or reconnect) waits for the user.
        m_reconnectTimer.stop();
        failPending();
        setPendingCertificate(untrusted);
        setState(State::AwaitingTrust);
        return;
    }
    if (m_signedIn) {
        setState(State::Reconnecting);
        scheduleReconnect(); // before the handlers run: they may sign out
        failPending();
        return;
    }
    if (m_state == State::Connecting || m_state == State::Authenticating) {
        giveUp(makeError(
            ErrorCode::Unavailable,
            QStringLiteral("Cannot reach the server at %1: %2").arg(m_url.toDisplayString(), reason)));
        return;
    }
    failPending();
    setState(State::Disconnected);
}

// Called while the handshake is under way: ignoring the errors lets it
// finish; not ignoring them makes Qt fail it (error, then onSocketLost, which
// acts on what is noted here). Never a blanket ignoreSslErrors().
void Session::onSslErrors(QWebSocket* socket, const QList<QSslError>& errors)
{
    if (socket != m_socket)
        return;
    QSslCertificate peer = socket->sslConfiguration().peerCertificate();
    if (peer.isNull() && !errors.isEmpty())
        peer = errors.constFirst().certificate(); // not filled in yet by every TLS backend
    const QString pin =
        m_pinStore ? m_pinStore->pinnedFingerprint(m_url) : m_memoryPins.value(serverAuthority(m_url));
    const CertificateVerdict verdict = judgeCertificate(errors, peer, pin);
    switch (verdict.kind) {
    case CertificateVerdict::Kind::Pinned:
        qCDebug(lcSession) << "pinned certificate" << verdict.fingerprint << "for" << serverAuthority(m_url);
        socket->ignoreSslErrors(errors);
        return;
    case CertificateVerdict::Kind::Unknown:
    case CertificateVerdict::Kind::Changed: {
        const bool changed = verdict.kind == CertificateVerdict::Kind::Changed;
        if (changed)
            qCWarning(lcSession) << "the certificate of" << serverAuthority(m_url) << "changed: pinned" << pin
                                 << "presented" << verdict.fingerprint;
        else
            qCInfo(lcSession) << "first connection to" << serverAuthority(m_url) << "certificate"
                              << verdict.fingerprint;
        m_untrustedCertificate =
            PendingCertificate{m_url, verdict.fingerprint, changed ? normalizedFingerprint(pin) : QString(),
                               certificateSubject(peer), peer.expiryDate()};
        return;
    }
    case CertificateVerdict::Kind::Refused:
        qCWarning(lcSession) << "refusing the certificate of" << serverAuthority(m_url) << verdict.fingerprint
                             << ":" << verdict.reason;
        m_refusedCertificate = verdict.reason;
        return;
    }
}

bool Session::acceptPendingCertificate(const QString& fingerprint)
{
    if (m_state != State::AwaitingTrust || !m_pendingCertificate.isValid() ||
        normalizedFingerprint(fingerprint) != m_pendingCertificate.fingerprint)
        return false;
    const PendingCertificate accepted = m_pendingCertificate;
    qCInfo(lcSession) << "pinning" << accepted.fingerprint << "for" << serverAuthority(accepted.server);
    if (m_pinStore)
        m_pinStore->setPinnedFingerprint(accepted.server, accepted.fingerprint);
    else
        m_memoryPins.insert(serverAuthority(accepted.server), accepted.fingerprint);
    setPendingCertificate({});
    m_reconnectAttempt = 0;
    setState(m_signedIn ? State::Reconnecting : State::Connecting);
    openSocket();
    return true;
}

void Session::setPendingCertificate(const PendingCertificate& pending)
{
    if (pending.fingerprint == m_pendingCertificate.fingerprint &&
        pending.server == m_pendingCertificate.server &&
        pending.previousFingerprint == m_pendingCertificate.previousFingerprint)
        return;
    m_pendingCertificate = pending;
    emit pendingCertificateChanged();
}

void Session::scheduleReconnect()
{
    const int shift = qMin(m_reconnectAttempt, 20);
    const qint64 base = qMin<qint64>(m_reconnectMaxMs, qint64(m_reconnectFirstMs) << shift);
    const double jitter = 0.8 + 0.4 * QRandomGenerator::global()->generateDouble();
    const int delay = int(qMax<qint64>(1, qint64(double(base) * jitter)));
    ++m_reconnectAttempt;
    qCInfo(lcSession) << "reconnecting in" << delay << "ms (attempt" << m_reconnectAttempt << ")";
    m_reconnectTimer.start(delay);
    emit reconnectScheduleChanged();
}

int Session::reconnectRemainingMs() const
{
    return m_state == State::Reconnecting && m_reconnectTimer.isActive()
               ? std::max(0, m_reconnectTimer.remainingTime())
               : -1;
}

bool Session::reconnectNow()
{
    if (reconnectRemainingMs() < 0)
        return false;
    qCInfo(lcSession) << "reconnecting now (asked)";
    m_reconnectTimer.stop();
    openSocket();
    emit reconnectScheduleChanged();
    return true;
}

void Session::signOut()
{
    if (m_signingOut)
        return;
    m_signingOut = true;
    if (m_state == State::Online) {
        sendRequest(
            event::Logout, {}, [this](const Envelope&) { finishSignOut(); }, kLogoutTimeoutMs);
        return;
    }
    finishSignOut();
}

void Session::finishSignOut()
{
    if (!std::exchange(m_signingOut, false))
        return;
    m_signedIn = false;
    m_reconnectTimer.stop();
    m_token.clear();
    m_user = User{};
    dropSocket(true);
    failPending();
    setPendingCertificate({});
    setState(State::Disconnected);
    emit signedOut();
}

void Session::disconnectFromServer()
{
    m_signedIn = false;
    m_signingOut = false;
    m_authPayload = {};
    m_reconnectTimer.stop();
    dropSocket(true);
    m_authRequest = 0;
    failPending();
    setPendingCertificate({});
    setState(State::Disconnected);
}

void Session::dropSocket(bool graceful)
{
    m_connectTimer.stop();
    m_pingTimer.stop();
    m_pongTimer.stop();
    QWebSocket* socket = std::exchange(m_socket, nullptr);
    if (!socket)
        return;
    disconnect(socket, nullptr, this, nullptr);
    if (graceful && socket->state() == QAbstractSocket::ConnectedState) {
        // Let the close handshake finish, but not forever.
        connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(2000, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
        socket->close();
        return;
    }
    socket->abort();
    socket->deleteLater();
}

QString Session::request(QLatin1String type, const QJsonObject& payload, ReplyHandler onReply, int timeoutMs)
{
    if (m_state != State::Online || !m_socket) {
        const QString id = requestId(m_nextRequest++);
        const Envelope error =
            errorEnvelope(makeError(ErrorCode::Unavailable, QStringLiteral("not connected")), id);
        QMetaObject::invokeMethod(
            this, [onReply = std::move(onReply), error] { onReply(error); }, Qt::QueuedConnection);
        return id;
    }
    return sendRequest(type, payload, std::move(onReply), timeoutMs);
}

QString Session::sendRequest(QLatin1String type, const QJsonObject& payload, ReplyHandler onReply,
                             int timeoutMs)
{
    const quint64 number = m_nextRequest++;
    const QString id = requestId(number);
    m_pending.emplace(number, std::move(onReply));
    QTimer::singleShot(timeoutMs, this, [this, number, id] {
        const auto it = m_pending.find(number);
        if (it == m_pending.end())
            return;
        const ReplyHandler handler = std::move(it->second);
        m_pending.erase(it);
        qCWarning(lcSession) << "request" << id << "timed out";
        handler(errorEnvelope(makeError(ErrorCode::Internal, QStringLiteral("timed out")), id));
    });
    m_socket->sendTextMessage(QString::fromUtf8(Envelope::make(QString(type), payload, id).serialize()));
    return id;
}

void Session::post(QLatin1String type, const QJsonObject& payload)
{
    if (m_state != State::Online || !m_socket) {
        qCDebug(lcSession) << "not connected: dropped" << type;
        return;
    }
    m_socket->sendTextMessage(QString::fromUtf8(Envelope::make(QString(type), payload).serialize()));
}

bool Session::sendFileChunk(Id fileId, qint64 offset, QByteArrayView data)
{
    if (m_state != State::Online || !m_socket || data.isEmpty() || data.size() > limits::kFileChunkBytes ||
        fileId <= 0 || offset < 0)
        return false;
    m_socket->sendBinaryMessage(
        filechunk::encode(filechunk::Kind::Upload, quint64(fileId), quint64(offset), data));
    return true;
}

void Session::onBinaryMessage(const QByteArray& frame)
{
    const auto chunk = filechunk::decode(frame);
    if (!chunk || chunk->kind != filechunk::Kind::Download || chunk->fileId == 0 ||
        chunk->fileId > quint64(std::numeric_limits<qint64>::max()) ||
        chunk->offset > quint64(std::numeric_limits<qint64>::max())) {
        qCWarning(lcSession) << "ignoring a binary frame that is not a download chunk";
        return;
    }
    emit downloadChunkReceived(Id(chunk->fileId), qint64(chunk->offset), chunk->data.toByteArray());
}

void Session::failPending()
{
    std::map<quint64, ReplyHandler> pending = std::exchange(m_pending, {});
    for (auto& [number, handler] : pending) {
        const QString id = requestId(number);
        handler(errorEnvelope(makeError(ErrorCode::Unavailable, QStringLiteral("not connected")), id));
    }
}

void Session::onTextMessage(const QString& text)
{
    Result<Envelope> parsed = Envelope::parse(text.toUtf8());
    if (!parsed) {
        qCWarning(lcSession) << "ignoring a frame that is not an envelope:" << parsed.error().message;
        return;
    }
    const Envelope& envelope = parsed.value();
    if (envelope.id.isUndefined() || envelope.id.isNull()) {
        dispatchPush(envelope);
        return;
    }
    const auto it = m_pending.find(requestNumber(envelope.id));
    if (it == m_pending.end()) {
        qCDebug(lcSession) << "reply to no pending request (timed out?):" << envelope.type << envelope.id;
        return;
    }
    const ReplyHandler handler = std::move(it->second);
    m_pending.erase(it);
    handler(envelope);
}

void Session::setReconnectDelays(int firstMs, int maxMs)
{
    m_reconnectFirstMs = qMax(1, firstMs);
    m_reconnectMaxMs = qMax(m_reconnectFirstMs, maxMs);
}

void Session::setPingInterval(int ms)
{
    // A pong must come within 10 s, or within one interval when pinging faster.
    m_pingTimer.setInterval(qMax(0, ms));
    m_pongTimer.setInterval(qBound(1, ms, kMaxPongWaitMs));
    if (ms <= 0)
        m_pingTimer.stop();
    else if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_pingTimer.start();
}

void Session::setState(State state)
{
    if (m_state == state)
        return;
    qCDebug(lcSession) << "state" << m_state << "->" << state;
    m_state = state;
    emit stateChanged();
}

} // namespace confab::client
