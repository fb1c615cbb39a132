#include "logging.h"

Q_LOGGING_CATEGORY(lcServer, "confab.server", QtInfoMsg)
Q_LOGGING_CATEGORY(lcNet, "confab.server.net", QtInfoMsg)
Q_LOGGING_CATEGORY(lcAuth, "confab.server.auth", QtInfoMsg)
Q_LOGGING_CATEGORY(lcMessages, "confab.server.messages", QtInfoMsg)
