#include "base/malloc_tuning.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace confab::server {

namespace {
// glibc's defaults: a thread arena gives back its free top as soon as it is
// over 128 KiB, and allocations of 128 KiB and more are mmap()ed one by one.
// Each store transaction allocates and frees a few hundred KiB (SQLite's
// page buffers, QSqlQuery results), so the store thread madvise()d those
// pages away after every commit and faulted them back in, zeroed, for the
// next: 13 % of the server's CPU in the small-room benchmark (perf: madvise,
// do_anonymous_page, TLB shootdowns across the other threads).
constexpr int kTrimThreshold = 8 << 20; // the free top an arena keeps (per arena)
constexpr int kMmapThreshold = 1 << 20; // 256 KiB file chunks come from the arenas
} // namespace

void tuneMallocForServer()
{
#if defined(__GLIBC__)
    // Setting either turns off glibc's sliding thresholds: these are fixed.
    mallopt(M_TRIM_THRESHOLD, kTrimThreshold);
    mallopt(M_MMAP_THRESHOLD, kMmapThreshold);
#endif
}

} // namespace confab::server
