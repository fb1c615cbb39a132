#pragma once

#include <QLoggingCategory>

// One category per part of the server; enable with QT_LOGGING_RULES, e.g.
// "confab.server.net.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcMessages)

namespace confab::server {

enum class LogFormat { Text, Json };

// Routes every log message (Qt's and ours) to stderr as exactly one line:
//   text: 2026-11-26T03:54:26.123Z info confab.server.auth: user 3 signed in
//   json: {"ts":"2026-11-26T03:54:26.123Z","level":"info","category":"confab.server.auth","msg":"..."}
// Newlines inside a message are escaped, so a line is always one event.
void installLogHandler(LogFormat format);

// The line for one message (what the handler writes, without the newline).
QByteArray formatLogLine(LogFormat format, QtMsgType type, const char* category, const QString& message);

} // namespace confab::server
