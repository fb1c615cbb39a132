#pragma once

#include <QString>
#include <QUrl>

namespace confab::client {

// What the user typed as the server ("host", "host:port", "ws://…" or
// "wss://…") as a ws/wss URL, spelled one way per server so settings and
// keychain entries match. A bare host gets Confab's port 7860. Invalid when
// the text is none of these.
QUrl parseServerAddress(const QString& text);

} // namespace confab::client
