#include "base/memory_release.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace confab::server {

bool BacklogMemoryRelease::observe(qint64 queued, qint64 nowMs, qint64* peak)
{
    m_peak = qMax(m_peak, queued);
    if (m_peak < m_limits.backlog || queued >= m_limits.drained)
        return false;
    if (m_releasedAtMs >= 0 && nowMs - m_releasedAtMs < m_limits.minIntervalMs)
        return false; // the peak is kept: released when the interval is over
    if (peak)
        *peak = m_peak;
    m_peak = 0;
    m_releasedAtMs = nowMs;
    return true;
}

bool releaseFreeMemory()
{
#if defined(__GLIBC__)
    malloc_trim(0);
    return true;
#else
    return false;
#endif
}

} // namespace confab::server
