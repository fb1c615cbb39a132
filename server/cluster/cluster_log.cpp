#include "cluster/cluster_log.h"

Q_LOGGING_CATEGORY(lcCluster, "confab.server.cluster", QtInfoMsg)
