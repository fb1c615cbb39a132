#pragma once

#include "protocol/types.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

namespace confab {
struct TypingEvent;
}

namespace confab::client {

class Session;
class UserDirectory;

// Typing, both ways, for the open room.
// Outgoing: the composer reports every edit; at most one `typing true` goes
// out per 3 s, and `typing false` follows 5 s without an edit, a send, or a
// room switch. Incoming: who else is typing in the open room, as one line of
// text; an entry without a refresh for 8 s expires (a client may vanish
// without sending `false` to us, e.g. when our own connection dropped).
class TypingState : public QObject {
    Q_OBJECT
public:
    TypingState(Session* session, UserDirectory* users, QObject* parent = nullptr);

    void setLocalTyping(Id roomId, bool typing);
    void stopLocal(); // sends `false` if `true` was the last thing sent

    void setRoom(Id roomId); // forgets the typers of the previous room
    void apply(const TypingEvent& event);
    void userSent(Id userId); // their message arrived: they stopped typing
    QString text() const { return m_text; }
    // How long an incoming entry lives without a refresh; tests shorten it.
    void setExpiryMs(int ms);

    static constexpr int kRefreshMs = 3000;
    static constexpr int kIdleMs = 5000;
    static constexpr int kExpiryMs = 8000;

signals:
    void textChanged();

private:
    void post(Id roomId, bool typing);
    void remove(Id userId);
    void expire();
    void updateText();

    struct Typer {
        Id userId = 0;
        QElapsedTimer since;
    };

    Session* m_session;
    UserDirectory* m_users;
    // Outgoing
    Id m_sentRoom = 0;
    bool m_sentTyping = false;
    QElapsedTimer m_sentAt;
    QTimer m_idle;
    // Incoming
    Id m_room = 0;
    QList<Typer> m_typers; // in the order they started
    QTimer m_expiry;       // checks the entries' age now and then
    int m_expiryMs = kExpiryMs;
    QString m_text;
};

} // namespace confab::client
