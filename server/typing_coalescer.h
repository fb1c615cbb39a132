#pragma once

#include "protocol/ids.h"

#include <QHash>
#include <QPair>

namespace confab::server {

// Which typing changes are worth telling a room (docs/protocol.md, "Presence
// and typing"): per user and room, a start or a stop at once; a repeated
// start only once `refreshMs` have passed since the last one relayed (a
// client refreshes its state every few seconds, and the others expire it
// after a while); a repeated stop never. So a client that sends typing
// thousands of times costs its room's members a few events, not thousands.
// Only users typing right now are held.
class TypingCoalescer {
public:
    static constexpr qint64 kDefaultRefreshMs = 2'500;

    explicit TypingCoalescer(qint64 refreshMs = kDefaultRefreshMs)
        : m_refreshMs(refreshMs)
    {}

    // True when the room's other members should hear of this change now.
    bool relay(Id userId, Id roomId, bool isTyping, qint64 nowMs)
    {
        const QPair<Id, Id> key(userId, roomId);
        if (!isTyping)
            return m_startedAt.remove(key) > 0;
        auto it = m_startedAt.find(key);
        if (it != m_startedAt.end() && nowMs - *it < m_refreshMs)
            return false;
        m_startedAt.insert(key, nowMs);
        return true;
    }
    int size() const { return int(m_startedAt.size()); }

private:
    qint64 m_refreshMs;
    QHash<QPair<Id, Id>, qint64> m_startedAt; // when "typing" was last relayed
};

} // namespace confab::server
