#pragma once

// The soak's samples, its verdict and its chart (scenario_soak.cpp). Pure:
// unit-tested without a server (tests/bench/tst_soak_chart.cpp).

#include <QList>
#include <QString>

namespace confab::bench {

struct SoakSample {
    double seconds = 0;
    qint64 rssKiB = 0;
    int openFiles = 0;
    double storeQueue = -1;  // jobs waiting (/metrics); -1: not known
    double connections = -1; // the server's open connections; -1: not known
};

struct SoakVerdict {
    bool flat = false;
    QString why; // when not flat
    qint64 rssLowKiB = 0, rssHighKiB = 0;
    double rssGrowth = 0; // (high - low) / low after warm-up
    int filesLow = 0, filesHigh = 0;
    double storeQueueMax = 0;
};

// After the first `settleShare` of the run (warm-up: caches, pools and
// allocator arenas fill), RSS must stay within `band` of its lowest value
// and the open files within the same band (at least +-4: a flood's sockets
// come and go between samples). Needs three samples after warm-up.
SoakVerdict judgeSoak(const QList<SoakSample>& samples, double settleShare, double band);

// An SVG with one panel per series (RSS in MiB, open files, store queue)
// over time, the warm-up shaded and the verdict in the title.
QString soakChartSvg(const QList<SoakSample>& samples, const SoakVerdict& verdict, double settleShare);
bool writeSoakChart(const QString& path, const QList<SoakSample>& samples, const SoakVerdict& verdict,
                    double settleShare);

} // namespace confab::bench
