// ComposerController: sending, retrying, @mention candidates, drafts.
// Acting on sent messages (edit, delete, reply, react) is in composer_actions.cpp.
#include "composer_controller.h"
#include "chat_client_private.h"

#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "protocol/limits.h"
#include "protocol/validation.h"

#include "attachment_display.h"

#include <QDateTime>
#include <QFileInfo>
#include <QUuid>

namespace confab::client {

namespace {
constexpr int kMemberCandidates = 8;

OutgoingFile outgoingFileOf(const PendingAttachment& a)
{
    OutgoingFile f;
    f.path = a.path;
    f.name = a.name;
    f.size = a.size;
    f.mime = a.mime;
    if (a.imageSize.isValid()) {
        f.width = a.imageSize.width();
        f.height = a.imageSize.height();
    }
    f.thumbnailPath = a.thumbnailPath;
    f.thumbnailMime = a.thumbnailMime;
    f.thumbnailSize = a.thumbnailPath.isEmpty() ? 0 : QFileInfo(a.thumbnailPath).size();
    if (f.thumbnailSize < 1)
        f.thumbnailPath.clear();
    return f;
}
} // namespace

ComposerController::ComposerController(ClientCore* core)
    : d(core)
{
    connect(d->outbox.get(), &Outbox::sizeChanged, this, &ComposerController::unsentCountChanged);
}

int ComposerController::unsentCount() const
{
    return d->outbox->size();
}

int ComposerController::maxLength() const
{
    return limits::kDefaultContentMaxLength;
}

UserListModel* ComposerController::memberCandidates() const
{
    return d->memberCandidates.get();
}

EmojiModel* ComposerController::emoji() const
{
    return d->emoji.get();
}

void ComposerController::sendMessage(const QString& text, const QVariantList& mentions)
{
    // Past the limit the server would refuse it; the composer keeps the text.
    // Files may go alone; they wait for their thumbnails.
    const bool withFiles = d->files->pending()->count() > 0;
    if (d->currentRoom == 0 || (text.trimmed().isEmpty() && !withFiles) || text.size() > maxLength() ||
        (withFiles && d->files->preparing()))
        return;
    Outbox::Item item;
    item.roomId = d->currentRoom;
    item.tempId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    // The server refuses control characters (a paste from a terminal, a bare
    // CR): replaced in place, so the mention spans still hold.
    item.content = validation::sanitizedContent(text);
    item.mentions = mentionsFromVariant(mentions);
    if (d->replyToId != 0)
        item.replyTo = d->replyToId;
    item.createdAt = QDateTime::currentMSecsSinceEpoch();
    for (const PendingAttachment& a : d->files->takePending())
        item.files.append(outgoingFileOf(a));
    d->typing->stopLocal();
    d->drafts.remove(d->currentRoom);
    d->store->setDraft(d->currentRoom, {});
    d->messages->addPending(item.tempId, item.content, item.mentions, item.createdAt);
    if (!item.files.isEmpty())
        d->messages->setPendingFiles(item.tempId, attachment_display::ofPending(item.files, 0));
    d->outbox->enqueue(std::move(item));
    cancelReply();
}

void ComposerController::submit(const QString& text, const QVariantList& mentions)
{
    if (d->editingId != 0) {
        editMessage(double(d->editingId), text, mentions);
        cancelEdit();
        return;
    }
    sendMessage(text, mentions);
}

void ComposerController::cancelSend(const QString& tempId)
{
    if (d->outbox->cancel(tempId))
        d->messages->removePending(tempId);
}

void ComposerController::retry(const QString& tempId)
{
    if (d->outbox->retry(tempId) && d->messages->rowOfTempId(tempId) >= 0)
        d->messages->setPending(tempId);
}

void ComposerController::queryMembers(const QString& prefix)
{
    const quint64 serial = ++d->memberQuerySerial;
    if (d->currentRoom != d->candidatesRoom) {
        d->candidates.clear();
        d->candidatesRoom = d->currentRoom;
    }
    // Until the server answers, the previous candidates that still match:
    // the popup never offers someone the typed text has ruled out.
    d->candidates.removeIf([&prefix](const User& u) {
        return !u.username.startsWith(prefix, Qt::CaseInsensitive) &&
               !u.displayName.startsWith(prefix, Qt::CaseInsensitive);
    });
    d->memberCandidates->setUsers(d->candidates);
    if (d->currentRoom == 0)
        return;
    SearchUsersRequest request;
    request.query = prefix;
    request.roomId = d->currentRoom;
    request.limit = kMemberCandidates;
    d->session->request(event::SearchUsers, request.toPayload(), [this, serial](const Envelope& reply) {
        if (serial != d->memberQuerySerial)
            return; // the user typed on; a newer query is under way
        const auto parsed = UsersReply::fromPayload(reply.payload);
        d->candidates = isErrorReply(reply) || !parsed ? QList<User>() : withoutUser(parsed->users, d->me.id);
        if (parsed)
            d->users->upsertAll(parsed->users);
        d->memberCandidates->setUsers(d->candidates);
    });
}

void ComposerController::saveDraft(double roomId, const QString& text)
{
    if (!d->signedIn)
        return; // the composer going away after a sign-out
    const Id room = Id(roomId);
    const QString kept = text.trimmed().isEmpty() ? QString() : text;
    if (room == 0 || d->drafts.value(room) == kept)
        return;
    if (kept.isEmpty())
        d->drafts.remove(room);
    else
        d->drafts.insert(room, kept);
    d->store->setDraft(room, kept);
}

QString ComposerController::draft(double roomId) const
{
    return d->drafts.value(Id(roomId));
}

} // namespace confab::client
