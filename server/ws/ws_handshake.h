#pragma once

// The HTTP/1.1 upgrade request that opens a WebSocket (RFC 6455 §4.2), parsed
// and answered without I/O. Only what a server needs: the request target and
// headers in, a 101 response or an HTTP error out.

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QUrl>

#include <optional>

namespace confab::server::ws {

// The largest request head accepted; browsers send about 0.5-2 KiB.
constexpr qsizetype kMaxHandshakeBytes = 16 * 1024;

struct HandshakeRequest {
    QByteArray method;
    QByteArray target; // "/path?query" as sent
    QList<QPair<QByteArray, QByteArray>> headers;

    // The value of the first header with this name (case-insensitive), or an
    // empty array. Repeated headers are joined with ", " as HTTP allows.
    QByteArray rawHeader(QByteArrayView name) const;
    // ws://<Host><target>: what QNetworkRequest::url() gave for a QWebSocket.
    QUrl url() const;
};

struct HandshakeOutcome {
    enum class State { Incomplete, Accepted, Refused };
    State state = State::Incomplete;
    qsizetype consumed = 0;   // bytes of the request head (Accepted)
    HandshakeRequest request; // Accepted
    QByteArray response;      // the 101 (Accepted) or the HTTP error (Refused)
};

// Parses the head at the start of `bytes`. Incomplete until "\r\n\r\n" has
// arrived; Refused (with a response to send before closing) for a request
// that is not a valid WebSocket upgrade or is over kMaxHandshakeBytes.
HandshakeOutcome parseHandshake(QByteArrayView bytes);

// base64(SHA-1(key + the RFC's GUID)).
QByteArray acceptKey(QByteArrayView secWebSocketKey);

// --- admission (issue 12): refusing a valid upgrade before it is answered ---
// An HTTP error response ("403 Forbidden", a plain-text body, optional
// "Name: value\r\n" headers) with Connection: close.
QByteArray refusalResponse(QByteArrayView status, QByteArrayView body, QByteArrayView extraHeaders = {});
// An origin (RFC 6454) as browsers serialize it in the Origin header:
// "scheme://host" or "scheme://host:port", lowercased, without a default
// port (80 for http, 443 for https); empty when `text` is not one (a path, a
// query, user info, or the opaque origin "null").
QByteArray normalizedOrigin(QByteArrayView text);
// HTTP 403 for a request that carries an Origin header (a web page's
// request: desktop clients send none) that is not one of `allowed`
// (normalized origins); empty when the request may proceed.
QByteArray refuseForeignOrigin(const HandshakeRequest& request, const QList<QByteArray>& allowed);

} // namespace confab::server::ws
