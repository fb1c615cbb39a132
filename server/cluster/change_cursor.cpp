#include "cluster/change_cursor.h"

namespace confab::server::cluster {

void ChangeCursor::reset(qint64 newest)
{
    m_newest = newest;
    m_gaps.clear();
}

bool ChangeCursor::take(qint64 id, qint64 now)
{
    if (id <= m_newest)
        return m_gaps.remove(id) > 0;
    const qint64 firstAwaited = qMax(m_newest + 1, id - kMaxGaps);
    for (qint64 missing = firstAwaited; missing < id; ++missing)
        m_gaps.insert(missing, now);
    while (m_gaps.size() > kMaxGaps)
        m_gaps.erase(m_gaps.begin());
    m_newest = id;
    return true;
}

QList<qint64> ChangeCursor::expire(qint64 now)
{
    QList<qint64> given;
    for (auto it = m_gaps.begin(); it != m_gaps.end();) {
        if (now - it.value() > m_gapTimeoutMs) {
            given.append(it.key());
            it = m_gaps.erase(it);
        } else {
            ++it;
        }
    }
    return given;
}

} // namespace confab::server::cluster
