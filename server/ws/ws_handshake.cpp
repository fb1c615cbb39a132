#include "ws/ws_handshake.h"

#include <QCryptographicHash>

namespace confab::server::ws {
namespace {

bool hasToken(QByteArrayView headerValue, QByteArrayView token)
{
    const QList<QByteArray> parts = headerValue.toByteArray().split(',');
    for (const QByteArray& part : parts) {
        if (part.trimmed().compare(token, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

QByteArray httpError(QByteArrayView status, QByteArrayView extraHeaders, QByteArrayView body)
{
    QByteArray response = "HTTP/1.1 ";
    response += status;
    response += "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n";
    response += extraHeaders;
    response += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n";
    response += body;
    return response;
}

HandshakeOutcome refuse(QByteArrayView status, QByteArrayView body, QByteArrayView extraHeaders = {})
{
    HandshakeOutcome outcome;
    outcome.state = HandshakeOutcome::State::Refused;
    outcome.response = httpError(status, extraHeaders, body);
    return outcome;
}

// "GET /path HTTP/1.1" and "Name: value" lines; false on anything else.
bool parseHead(QByteArrayView head, HandshakeRequest& request)
{
    const QList<QByteArray> lines = head.toByteArray().split('\n');
    if (lines.isEmpty())
        return false;
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || !requestLine[2].startsWith("HTTP/1."))
        return false;
    request.method = requestLine[0];
    request.target = requestLine[1];
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            return false;
        request.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return true;
}

} // namespace

QByteArray HandshakeRequest::rawHeader(QByteArrayView name) const
{
    QByteArray value;
    for (const auto& [key, v] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!value.isEmpty())
            value += ", ";
        value += v;
    }
    return value;
}

QUrl HandshakeRequest::url() const
{
    const QByteArray host = rawHeader("Host");
    return QUrl(QString::fromLatin1("ws://" + (host.isEmpty() ? QByteArray("localhost") : host) + target));
}

QByteArray acceptKey(QByteArrayView secWebSocketKey)
{
    QCryptographicHash sha1(QCryptographicHash::Sha1);
    sha1.addData(secWebSocketKey);
    sha1.addData(QByteArrayView("258EAFA5-E914-47DA-95CA-C5AB0DC85B11"));
    return sha1.result().toBase64();
}

HandshakeOutcome parseHandshake(QByteArrayView bytes)
{
    const qsizetype end = bytes.indexOf(QByteArrayView("\r\n\r\n"));
    if (end < 0) {
        if (bytes.size() > kMaxHandshakeBytes)
            return refuse("431 Request Header Fields Too Large", "request head too large\n");
        return {};
    }
    if (end + 4 > kMaxHandshakeBytes)
        return refuse("431 Request Header Fields Too Large", "request head too large\n");

    HandshakeRequest request;
    if (!parseHead(bytes.first(end), request))
        return refuse("400 Bad Request", "malformed HTTP request\n");
    if (request.method != "GET")
        return refuse("405 Method Not Allowed", "this is a WebSocket endpoint: GET with Upgrade\n",
                      "Allow: GET\r\n");
    if (!hasToken(request.rawHeader("Upgrade"), "websocket") ||
        !hasToken(request.rawHeader("Connection"), "upgrade"))
        return refuse("426 Upgrade Required", "this is a WebSocket endpoint (ws:// or wss://)\n",
                      "Upgrade: websocket\r\nConnection: Upgrade\r\n");
    if (request.rawHeader("Sec-WebSocket-Version").trimmed() != "13")
        return refuse("426 Upgrade Required", "unsupported WebSocket version; use 13\n",
                      "Sec-WebSocket-Version: 13\r\n");
    const QByteArray key = request.rawHeader("Sec-WebSocket-Key").trimmed();
    if (QByteArray::fromBase64(key).size() != 16)
        return refuse("400 Bad Request", "missing or malformed Sec-WebSocket-Key\n");

    HandshakeOutcome outcome;
    outcome.state = HandshakeOutcome::State::Accepted;
    outcome.consumed = end + 4;
    outcome.response = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       "Sec-WebSocket-Accept: " +
                       acceptKey(key) + "\r\n\r\n";
    outcome.request = std::move(request);
    return outcome;
}

QByteArray refusalResponse(QByteArrayView status, QByteArrayView body, QByteArrayView extraHeaders)
{
    return httpError(status, extraHeaders, body);
}

QByteArray normalizedOrigin(QByteArrayView text)
{
    const QUrl url(QString::fromLatin1(text.toByteArray().trimmed()), QUrl::StrictMode);
    if (!url.isValid() || url.scheme().isEmpty() || url.host().isEmpty() || !url.userInfo().isEmpty() ||
        url.hasQuery() || url.hasFragment() || (!url.path().isEmpty() && url.path() != QLatin1String("/")))
        return {};
    QUrl origin;
    origin.setScheme(url.scheme().toLower());
    origin.setHost(url.host().toLower());
    const int defaultPort = origin.scheme() == QLatin1String("https")  ? 443
                            : origin.scheme() == QLatin1String("http") ? 80
                                                                       : -1;
    if (url.port() != -1 && url.port() != defaultPort)
        origin.setPort(url.port());
    return origin.toString(QUrl::FullyEncoded).toLatin1();
}

QByteArray refuseForeignOrigin(const HandshakeRequest& request, const QList<QByteArray>& allowed)
{
    bool present = false;
    for (const auto& [key, value] : request.headers)
        present = present || key.compare("Origin", Qt::CaseInsensitive) == 0;
    if (!present)
        return {};
    // Several Origin headers join into one value that matches nothing.
    const QByteArray origin = normalizedOrigin(request.rawHeader("Origin"));
    if (!origin.isEmpty() && allowed.contains(origin))
        return {};
    return refusalResponse("403 Forbidden",
                           "this origin may not connect: the server's --allowed-origins does not list it\n");
}

} // namespace confab::server::ws
