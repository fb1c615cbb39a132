#pragma once

#include <QtGlobal>

namespace confab::server {

// When to hand freed memory back to the kernel. glibc returns only the free
// top of a heap (and malloc_tuning.cpp keeps 8 MiB of that on purpose), so a
// burst that fills the heap and is freed in a different order stays in RSS:
// in the hour's soak a 40 s disk stall queued 126,000 store jobs, RSS rose
// by 90 MB and stayed there, with 116 of the main heap's 202 MB free
// (malloc_stats). malloc_trim() gives those pages back, but it walks the
// heap on the calling thread, so it runs only after such a backlog drained,
// not on a clock.
class BacklogMemoryRelease {
public:
    struct Limits {
        qint64 backlog = 2'000;        // jobs queued: a backlog worth releasing after
        qint64 drained = 50;           // ...once fewer than this are left
        qint64 minIntervalMs = 60'000; // and at most this often
    };
    BacklogMemoryRelease()
        : BacklogMemoryRelease(Limits{})
    {}
    explicit BacklogMemoryRelease(Limits limits)
        : m_limits(limits)
    {}

    // Called now and then with the jobs queued: true when it is time to
    // release. `peak` is the backlog that made it so.
    bool observe(qint64 queued, qint64 nowMs, qint64* peak = nullptr);

private:
    Limits m_limits;
    qint64 m_peak = 0; // the largest backlog since the last release
    qint64 m_releasedAtMs = -1;
};

// Gives the allocator's free pages back to the kernel (malloc_trim); returns
// false where there is no such call (not glibc).
bool releaseFreeMemory();

} // namespace confab::server
