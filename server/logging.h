#pragma once

#include <QLoggingCategory>

// One category per part of the server; enable with QT_LOGGING_RULES, e.g.
// "confab.server.net.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcServer)
Q_DECLARE_LOGGING_CATEGORY(lcNet)
Q_DECLARE_LOGGING_CATEGORY(lcAuth)
Q_DECLARE_LOGGING_CATEGORY(lcMessages)
