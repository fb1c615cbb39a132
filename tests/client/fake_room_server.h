#pragma once

#include "scripted_peer.h"

#include "protocol/types.h"

#include <QList>

namespace confab::test {

// One group room ("lifecycle": mei, the signed-in user, and bob) served by a
// ScriptedPeer as the contract's "Message changes and catch-up" says: pages
// of history, sends, edit_message, delete_message, react and fetch_changes,
// each raising a revision and pushing message_updated or reaction. For
// client tests that need exact control over what arrives when: bob's changes
// are made with the *AsBob() calls, pushed or (`silently`) only stored, as if
// made while mei was offline.
class FakeRoomServer {
public:
    static constexpr Id kRoomId = 10;
    static constexpr Id kMei = 1;
    static constexpr Id kBob = 2;

    FakeRoomServer();
    bool listen() { return m_peer.listen(); }
    QUrl url() const { return m_peer.url(); }
    ScriptedPeer& peer() { return m_peer; }

    // Stored as if sent earlier; returns the new message's id.
    Id addMessage(Id senderId, const QString& content, std::optional<Id> replyTo = std::nullopt);
    const Message* message(Id id) const;
    QList<Message> messages() const { return m_messages; }
    // Requests of these types received, in order.
    QStringList requestTypes() const { return m_types; }

    // Mei's role in the room from the next list_rooms on (none: a server
    // without roles; mei is the owner by ownerId), and the room's owner.
    void setMeiRole(std::optional<MemberRole> role, Id ownerId)
    {
        m_meiRole = role;
        m_ownerId = ownerId;
    }
    // Makes a stored message `ms` older.
    void age(Id messageId, qint64 ms);

    void editAsBob(Id messageId, const QString& content, bool silently = false);
    void deleteAsBob(Id messageId, bool silently = false);
    void reactAsBob(Id messageId, const QString& emoji, bool on, bool silently = false);

private:
    QList<Envelope> handle(const Envelope& request);
    QList<Envelope> sendMessage(const Envelope& request);
    QList<Envelope> edit(const Envelope& request, Id userId);
    QList<Envelope> remove(const Envelope& request, Id userId);
    QList<Envelope> react(const Envelope& request, Id userId);
    Message* find(Id id);
    Message withPreview(const Message& m) const;
    Envelope updated(const Message& m) const;
    Envelope reactionEvent(const Message& m, const QString& emoji, Id userId, bool on) const;
    bool setReaction(Message& m, const QString& emoji, Id userId, bool on);

    ScriptedPeer m_peer;
    QList<Message> m_messages; // ascending by id
    QStringList m_types;
    std::optional<MemberRole> m_meiRole;
    Id m_ownerId = kMei;
    Id m_nextId = 100;
    qint64 m_revision = 0;
};

} // namespace confab::test
