// Session: pushed events (frames without an id) to the typed signals.
#include "session.h"

#include "protocol/event_names.h"
#include "protocol/files.h"

namespace confab::client {

namespace {

// Parses the payload as T and hands it to emitter; a malformed push is logged
// and dropped (the connection stays usable).
template <typename T, typename Emit>
void emitParsed(const Envelope& push, Emit&& emitter)
{
    Result<T> parsed = T::fromPayload(push.payload);
    if (!parsed) {
        qCWarning(lcSession) << "ignoring malformed" << push.type << "event:" << parsed.error().message;
        return;
    }
    emitter(parsed.value());
}

} // namespace

// A pushed error about a file (a refused chunk, a download that stopped):
// to the uploads and downloads, which match it by fileId.
void Session::onFileError(const Envelope& push)
{
    const Result<Error> error = errorFromPayload(push.payload);
    if (!error) {
        qCWarning(lcSession) << "ignoring malformed file error:" << error.error().message;
        return;
    }
    emit fileErrorReceived(error.value());
}

void Session::dispatchPush(const Envelope& push)
{
    const QString& type = push.type;
    if (type == event::Message)
        emitParsed<MessageEvent>(push, [this](const MessageEvent& e) { emit messageReceived(e.message); });
    else if (type == event::MessageUpdated)
        emitParsed<MessageUpdatedEvent>(
            push, [this](const MessageUpdatedEvent& e) { emit messageUpdated(e.message); });
    else if (type == event::Reaction)
        emitParsed<ReactionEvent>(push, [this](const ReactionEvent& e) { emit reactionChanged(e); });
    else if (type == event::Typing)
        emitParsed<TypingEvent>(push, [this](const TypingEvent& e) { emit typingChanged(e); });
    else if (type == event::Presence)
        emitParsed<PresenceEvent>(push, [this](const PresenceEvent& e) { emit presenceChanged(e); });
    else if (type == event::Mention)
        emitParsed<MentionEvent>(push, [this](const MentionEvent& e) { emit mentionReceived(e); });
    else if (type == event::Read)
        emitParsed<ReadEvent>(push,
                              [this](const ReadEvent& e) { emit readMarkerChanged(e.roomId, e.messageId); });
    else if (type == event::Room)
        emitParsed<RoomEvent>(push, [this](const RoomEvent& e) { emit roomReceived(e.room); });
    else if (type == event::RoomLeft)
        emitParsed<RoomLeftEvent>(push,
                                  [this](const RoomLeftEvent& e) { emit roomLeft(e.roomId, e.reason); });
    else if (type == event::MemberLeft)
        emitParsed<MemberLeftEvent>(
            push, [this](const MemberLeftEvent& e) { emit memberLeft(e.roomId, e.userId, e.byUserId); });
    else if (type == event::MemberJoined)
        emitParsed<MemberJoinedEvent>(push, [this](const MemberJoinedEvent& e) { emit memberJoined(e); });
    else if (type == event::RoomUpdated)
        emitParsed<RoomUpdatedEvent>(push, [this](const RoomUpdatedEvent& e) { emit roomUpdated(e.room); });
    else if (type == event::RoomSettings)
        emitParsed<RoomSettingsEvent>(push,
                                      [this](const RoomSettingsEvent& e) { emit roomSettingsChanged(e); });
    else if (type == event::Receipt)
        emitParsed<ReceiptEvent>(push, [this](const ReceiptEvent& e) { emit receiptReceived(e); });
    else if (type == event::UserUpdated)
        emitParsed<UserUpdatedEvent>(push, [this](const UserUpdatedEvent& e) {
            if (e.user.id != m_user.id)
                return emit userUpdated(e.user);
            // My profile, changed on another device; only my own copies say
            // whether I send receipts, so that is kept.
            User me = e.user;
            if (!me.sendReceipts)
                me.sendReceipts = m_user.sendReceipts;
            m_user = me;
            emit userUpdated(me);
        });
    else if (type == event::PinsChanged)
        emitParsed<PinsChangedEvent>(push, [this](const PinsChangedEvent& e) { emit pinsChanged(e); });
    else if (type == event::UploadProgress)
        emitParsed<UploadProgressEvent>(push,
                                        [this](const UploadProgressEvent& e) { emit uploadProgressed(e); });
    else if (type == event::UploadDone)
        emitParsed<UploadDoneEvent>(push, [this](const UploadDoneEvent& e) { emit uploadDone(e.file); });
    else if (type == event::Error && push.payload.contains(QLatin1String("fileId")))
        onFileError(push);
    else if (type == event::Error)
        qCWarning(lcSession) << "server error:" << push.payload.value(QLatin1String("code")).toString()
                             << push.payload.value(QLatin1String("message")).toString();
    else
        qCDebug(lcSession) << "ignoring unknown event" << type; // forward compatible
}

} // namespace confab::client
