#pragma once

#include <QString>
#include <QUrl>

namespace confab::client {

// What the user typed as the server ("host", "host:port", "ws://…" or
// "wss://…") as a ws/wss URL, spelled one way per server so settings and
// keychain entries match. A bare host gets Confab's port 7860. Invalid when
// the text is none of these.
QUrl parseServerAddress(const QString& text);

// "host:port" of a ws/wss URL ("[::1]:443" for IPv6), with the scheme's
// default port when none is given: the key of per-server data that does
// not depend on the path, such as a pinned TLS certificate.
QString serverAuthority(const QUrl& server);

} // namespace confab::client
