#pragma once

#include "protocol/ids.h"

#include <QHash>
#include <QPair>

#include <functional>

namespace confab::server {

// At most one `receipt` per member and room per window (a second, contract:
// "coalesced to at most one per member and room per second"), kept per
// server instance. The first marker a member moves goes out at once and opens
// a window; markers moved inside it are held, and only the newest is sent
// when the window ends, which opens the next one. A window that ends with
// nothing held is forgotten, so memory follows the members reading right now.
// So a client that marks every message of a fast conversation as read costs
// the room one event a second, and the last marker always arrives.
class ReceiptCoalescer {
public:
    static constexpr qint64 kDefaultWindowMs = 1'000;
    // send: deliver a receipt now. schedule: run `then` after `delayMs` on
    // this thread (a timer; tests drive it by hand).
    using Send = std::function<void(Id roomId, Id userId, Id messageId)>;
    using Schedule = std::function<void(qint64 delayMs, std::function<void()> then)>;

    ReceiptCoalescer(Send send, Schedule schedule, qint64 windowMs = kDefaultWindowMs)
        : m_send(std::move(send))
        , m_schedule(std::move(schedule))
        , m_windowMs(windowMs)
    {}

    // A member's read marker moved forward to messageId.
    void offer(Id roomId, Id userId, Id messageId)
    {
        const Key key(roomId, userId);
        auto it = m_windows.find(key);
        if (it == m_windows.end()) {
            m_windows.insert(key, Window{messageId, 0});
            m_send(roomId, userId, messageId);
            openWindow(key);
            return;
        }
        if (messageId > qMax(it->sent, it->held))
            it->held = messageId;
    }
    int size() const { return int(m_windows.size()); }

private:
    using Key = QPair<Id, Id>; // room, user
    struct Window {
        Id sent = 0; // the newest marker sent
        Id held = 0; // the newest marker waiting for the window's end, 0 when none
    };

    void openWindow(const Key& key)
    {
        m_schedule(m_windowMs, [this, key] { closeWindow(key); });
    }

    void closeWindow(const Key& key)
    {
        auto it = m_windows.find(key);
        if (it == m_windows.end())
            return;
        if (it->held == 0) {
            m_windows.erase(it);
            return;
        }
        const Id messageId = std::exchange(it->held, 0);
        it->sent = messageId;
        m_send(key.first, key.second, messageId);
        openWindow(key);
    }

    Send m_send;
    Schedule m_schedule;
    qint64 m_windowMs;
    QHash<Key, Window> m_windows;
};

} // namespace confab::server
