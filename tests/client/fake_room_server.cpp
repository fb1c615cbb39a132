#include "fake_room_server.h"

#include "protocol/event_names.h"
#include "protocol/lifecycle.h"
#include "protocol/limits.h"
#include "protocol/replies.h"
#include "protocol/requests.h"

#include <QDateTime>

namespace confab::test {

namespace {

Envelope ok(const Envelope& request)
{
    return Envelope::make(QString(event::Ok), {}, request.id);
}

Envelope refusal(const Envelope& request, ErrorCode code)
{
    return errorEnvelope(makeError(code, QStringLiteral("fake %1").arg(errorCodeName(code))), request.id);
}

} // namespace

FakeRoomServer::FakeRoomServer()
{
    m_peer.setRequestHandler([this](const Envelope& request) { return handle(request); });
    // Sends are acked at once and echoed as the `message` event.
    m_peer.setPolicy([this](const ScriptedPeer::Send& send, int) -> std::optional<Envelope> {
        const Id id = addMessage(kMei, send.request.content, send.request.replyTo);
        Message* m = find(id);
        m->mentions = send.request.mentions;
        m->tempId = send.request.tempId;
        MessageEvent event;
        event.message = withPreview(*m);
        m_peer.push(Envelope::make(QString(event::Message), event.toPayload()));
        MessageAck ack;
        ack.tempId = send.request.tempId;
        ack.messageId = id;
        ack.createdAt = m->createdAt;
        return Envelope::make(QString(event::MessageAck), ack.toPayload(), send.id);
    });
}

void FakeRoomServer::age(Id messageId, qint64 ms)
{
    find(messageId)->createdAt -= ms;
}

Id FakeRoomServer::addMessage(Id senderId, const QString& content, std::optional<Id> replyTo)
{
    Message m;
    m.id = m_nextId++;
    m.roomId = kRoomId;
    m.senderId = senderId;
    m.content = content;
    m.createdAt = QDateTime::currentMSecsSinceEpoch();
    m.replyTo = replyTo;
    m.revision = ++m_revision;
    m_messages.append(m);
    return m.id;
}

const Message* FakeRoomServer::message(Id id) const
{
    for (const Message& m : m_messages) {
        if (m.id == id)
            return &m;
    }
    return nullptr;
}

Message* FakeRoomServer::find(Id id)
{
    return const_cast<Message*>(message(id));
}

Message FakeRoomServer::withPreview(const Message& m) const
{
    Message out = m;
    if (const Message* quoted = m.replyTo ? message(*m.replyTo) : nullptr)
        out.replyPreview = ReplyPreview{quoted->id, quoted->senderId,
                                        quoted->content.left(limits::kPreviewMaxLength), quoted->deleted};
    return out;
}

Envelope FakeRoomServer::updated(const Message& m) const
{
    MessageUpdatedEvent event;
    event.message = withPreview(m);
    return Envelope::make(QString(event::MessageUpdated), event.toPayload());
}

Envelope FakeRoomServer::reactionEvent(const Message& m, const QString& emoji, Id userId, bool on) const
{
    ReactionEvent event;
    event.roomId = m.roomId;
    event.messageId = m.id;
    event.emoji = emoji;
    event.userId = userId;
    event.on = on;
    event.revision = m.revision;
    return Envelope::make(QString(event::Reaction), event.toPayload());
}

bool FakeRoomServer::setReaction(Message& m, const QString& emoji, Id userId, bool on)
{
    auto it = std::find_if(m.reactions.begin(), m.reactions.end(),
                           [&emoji](const Reaction& r) { return r.emoji == emoji; });
    const bool has = it != m.reactions.end() && it->userIds.contains(userId);
    if (has == on)
        return false; // the contract: nothing changes, nothing is sent
    if (on) {
        if (it == m.reactions.end())
            it = m.reactions.insert(m.reactions.end(), Reaction{emoji, {}});
        it->userIds.append(userId);
    } else {
        it->userIds.removeAll(userId);
        if (it->userIds.isEmpty())
            m.reactions.erase(it);
    }
    m.revision = ++m_revision;
    return true;
}

void FakeRoomServer::editAsBob(Id messageId, const QString& content, bool silently)
{
    Message* m = find(messageId);
    m->content = content;
    m->editedAt = QDateTime::currentMSecsSinceEpoch();
    m->revision = ++m_revision;
    if (!silently)
        m_peer.push(updated(*m));
}

void FakeRoomServer::deleteAsBob(Id messageId, bool silently)
{
    Message* m = find(messageId);
    m->deleted = true;
    m->content.clear();
    m->mentions.clear();
    m->reactions.clear();
    m->revision = ++m_revision;
    if (!silently)
        m_peer.push(updated(*m));
}

void FakeRoomServer::reactAsBob(Id messageId, const QString& emoji, bool on, bool silently)
{
    Message* m = find(messageId);
    if (setReaction(*m, emoji, kBob, on) && !silently)
        m_peer.push(reactionEvent(*m, emoji, kBob, on));
}

QList<Envelope> FakeRoomServer::handle(const Envelope& request)
{
    m_types.append(request.type);
    const QString& type = request.type;
    if (type == event::ListRooms) {
        Room room;
        room.id = kRoomId;
        room.name = QStringLiteral("lifecycle");
        room.ownerId = m_ownerId;
        room.members = {onlineUser(kMei, QStringLiteral("mei"), QStringLiteral("Mei Lin")),
                        onlineUser(kBob, QStringLiteral("bob"), QStringLiteral("Bob Wang"))};
        room.members[0].role = m_meiRole;
        if (!m_messages.isEmpty())
            room.lastMessage = withPreview(m_messages.constLast());
        RoomsReply reply;
        reply.rooms = {room};
        return {Envelope::make(QString(event::Rooms), reply.toPayload(), request.id)};
    }
    if (type == event::FetchMessages) {
        const auto fetch = FetchMessagesRequest::fromPayload(request.payload);
        if (!fetch)
            return {refusal(request, ErrorCode::BadRequest)};
        const int limit = fetch->limit > 0 ? fetch->limit : 50;
        QList<Message> page;
        bool hasMore = false;
        if (fetch->afterId) { // ascending from afterId
            for (const Message& m : m_messages) {
                if (m.id <= *fetch->afterId)
                    continue;
                if (page.size() == limit) {
                    hasMore = true;
                    break;
                }
                page.append(withPreview(m));
            }
        } else { // the newest `limit` before beforeId
            for (auto it = m_messages.crbegin(); it != m_messages.crend(); ++it) {
                if (fetch->beforeId && it->id >= *fetch->beforeId)
                    continue;
                if (page.size() == limit) {
                    hasMore = true;
                    break;
                }
                page.prepend(withPreview(*it));
            }
        }
        HistoryReply reply;
        reply.roomId = kRoomId;
        reply.messages = page;
        reply.hasMore = hasMore;
        return {Envelope::make(QString(event::History), reply.toPayload(), request.id)};
    }
    if (type == event::FetchChanges) {
        const auto fetch = FetchChangesRequest::fromPayload(request.payload);
        if (!fetch)
            return {refusal(request, ErrorCode::BadRequest)};
        QList<Message> changed;
        for (const Message& m : m_messages) {
            if (m.revision > fetch->afterRevision)
                changed.append(withPreview(m));
        }
        std::sort(changed.begin(), changed.end(),
                  [](const Message& a, const Message& b) { return a.revision < b.revision; });
        const int limit = fetch->limit > 0 ? fetch->limit : 50;
        ChangesReply reply;
        reply.roomId = kRoomId;
        reply.hasMore = changed.size() > limit;
        reply.messages = changed.mid(0, limit);
        return {Envelope::make(QString(event::Changes), reply.toPayload(), request.id)};
    }
    if (type == event::EditMessage)
        return edit(request, kMei);
    if (type == event::DeleteMessage)
        return remove(request, kMei);
    if (type == event::React)
        return react(request, kMei);
    if (type == event::ListMentions)
        return {Envelope::make(QString(event::Mentions), MentionsReply{}.toPayload(), request.id)};
    if (type == event::SearchUsers)
        return {Envelope::make(QString(event::Users), UsersReply{}.toPayload(), request.id)};
    if (type == event::MarkRead)
        return {ok(request)};
    return {}; // typing and the rest: no reply
}

QList<Envelope> FakeRoomServer::edit(const Envelope& request, Id userId)
{
    const auto edit = EditMessageRequest::fromPayload(request.payload);
    Message* m = edit ? find(edit->messageId) : nullptr;
    if (!m)
        return {refusal(request, ErrorCode::NotFound)};
    if (m->senderId != userId || m->deleted)
        return {refusal(request, ErrorCode::Forbidden)};
    m->content = edit->content;
    m->mentions = edit->mentions;
    m->editedAt = QDateTime::currentMSecsSinceEpoch();
    m->revision = ++m_revision;
    return {ok(request), updated(*m)};
}

QList<Envelope> FakeRoomServer::remove(const Envelope& request, Id userId)
{
    const auto del = DeleteMessageRequest::fromPayload(request.payload);
    Message* m = del ? find(del->messageId) : nullptr;
    if (!m)
        return {refusal(request, ErrorCode::NotFound)};
    if (m->senderId != userId)
        return {refusal(request, ErrorCode::Forbidden)};
    m->deleted = true;
    m->content.clear();
    m->mentions.clear();
    m->reactions.clear();
    m->revision = ++m_revision;
    return {ok(request), updated(*m)};
}

QList<Envelope> FakeRoomServer::react(const Envelope& request, Id userId)
{
    const auto react = ReactRequest::fromPayload(request.payload);
    Message* m = react ? find(react->messageId) : nullptr;
    if (!m)
        return {refusal(request, ErrorCode::NotFound)};
    if (m->deleted)
        return {refusal(request, ErrorCode::Forbidden)};
    if (!setReaction(*m, react->emoji, userId, react->on))
        return {ok(request)};
    return {ok(request), reactionEvent(*m, react->emoji, userId, react->on)};
}

} // namespace confab::test
