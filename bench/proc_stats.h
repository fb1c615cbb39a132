#pragma once

#include <QString>

namespace confab::bench {

// A process's CPU time and resident memory, read from /proc (Linux only).
struct ProcSample {
    bool valid = false;
    double cpuSeconds = 0; // utime + stime
    qint64 rssKiB = 0;     // VmRSS
};

ProcSample sampleProcess(qint64 pid);
// This process's own CPU time, to show how much of the 2 cores the tool took.
ProcSample sampleSelf();

} // namespace confab::bench
