#pragma once

#include "protocol/attention.h"

#include <QHash>
#include <QObject>

namespace confab::client {

class MessageListModel;
class Session;

// The open room's read receipts: fetch_receipts when a room opens (and after
// a reconnect), `receipt` events as members read on, kept as each other
// member's newest read message and handed to the message model, which shows
// them ("Seen", or the readers' avatars).
//
// Shown only while the server keeps receipts (its policy) and I send mine:
// as in WhatsApp, who hides their own receipts sees nobody's. The contract
// does not make the server enforce that (it only leaves my marker out of what
// others get), so it is the client's choice.
class ReceiptTracker : public QObject {
    Q_OBJECT
public:
    ReceiptTracker(Session* session, MessageListModel* messages, QObject* parent = nullptr);

    // The open room (0: none) and whether it is a DM; its receipts are fetched.
    void setRoom(Id roomId, bool dm);
    // The server's policy or my receipts setting may have changed.
    void updateEnabled();
    bool enabled() const { return m_enabled; }
    // userId -> messageId, members other than me (what the model was given).
    QHash<Id, Id> markers() const { return m_markers; }

signals:
    void markersChanged();

private:
    void fetch();
    void onReceipt(const ReceiptEvent& receipt);
    void push();

    Session* const m_session;
    MessageListModel* const m_messages;
    Id m_room = 0;
    bool m_dm = false;
    bool m_enabled = false;
    quint64 m_serial = 0; // a newer room or fetch makes older replies stale
    QHash<Id, Id> m_markers;
};

} // namespace confab::client
