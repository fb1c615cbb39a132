// ComposerController: acting on sent messages — editing in place, deleting,
// replying, reactions, copying. Requests only: the model changes when the
// server's `message_updated` or `reaction` comes, for every device alike.
#include "chat_client_private.h"
#include "composer_controller.h"

#include "message_display.h"
#include "protocol/envelope.h"
#include "protocol/event_names.h"
#include "protocol/validation.h"
#include "room_rights.h"

#include <QClipboard>
#include <QDateTime>
#include <QGuiApplication>

namespace confab::client {

double ComposerController::editingId() const
{
    return double(d->editingId);
}

double ComposerController::replyToId() const
{
    return double(d->replyToId);
}

QVariantMap ComposerController::replyPreview() const
{
    const Message* m = d->messages->find(d->replyToId);
    if (!m)
        return {};
    return {{QStringLiteral("senderName"), d->users->displayName(m->senderId)},
            {QStringLiteral("text"), m->content.section(QLatin1Char('\n'), 0, 0).simplified()}};
}

QVariantMap ComposerController::actionRights(double messageId) const
{
    const Message* m = d->messages->find(Id(messageId));
    bool edit = false;
    bool remove = false;
    bool pin = false;
    if (m && !m->deleted && m->kind == MessageKind::Text) {
        const qint64 ageMs = QDateTime::currentMSecsSinceEpoch() - m->createdAt;
        const bool mine = m->senderId == d->me.id;
        const Room room = d->rooms->room(m->roomId);
        const bool moderator = isModerator(room, d->me.id);
        // The server's windows (auth_ok's policy; the contract's defaults
        // before the first sign-in of this run).
        const ServerPolicy& policy = d->session->policy();
        edit = mine && ageMs <= policy.editWindowS * 1000;
        remove = (mine && ageMs <= policy.deleteWindowS * 1000) || moderator;
        pin = canPinIn(room, d->me.id);
    }
    return {{QStringLiteral("edit"), edit}, {QStringLiteral("delete"), remove}, {QStringLiteral("pin"), pin}};
}

QVariantMap ComposerController::startEdit(double messageId)
{
    const Message* m = d->messages->find(Id(messageId));
    if (!m || !actionRights(messageId).value(QStringLiteral("edit")).toBool())
        return {};
    if (d->editingId != m->id) {
        d->editingId = m->id;
        emit editingChanged();
    }
    cancelReply(); // an edit keeps the message's own reply
    return {{QStringLiteral("content"), display::content(m->content)},
            {QStringLiteral("mentions"), display::mentions(*m)}};
}

QVariantMap ComposerController::startEditLast()
{
    const Id id = d->messages->lastEditableId();
    return id == 0 ? QVariantMap() : startEdit(double(id));
}

void ComposerController::cancelEdit()
{
    if (d->editingId == 0)
        return;
    d->editingId = 0;
    emit editingChanged();
}

void ComposerController::editMessage(double messageId, const QString& text, const QVariantList& mentions)
{
    if (messageId == 0 || text.trimmed().isEmpty())
        return;
    const Message* m = d->messages->find(Id(messageId));
    const QString content = validation::sanitizedContent(text);
    const QList<Mention> spans = mentionsFromVariant(mentions);
    if (m && m->content == content && m->mentions == spans)
        return; // unchanged: no "(edited)" for nothing
    EditMessageRequest request;
    request.messageId = Id(messageId);
    request.content = content;
    request.mentions = spans;
    d->call(event::EditMessage, request.toPayload(), [](const Envelope&) {});
}

void ComposerController::deleteMessage(double messageId)
{
    DeleteMessageRequest request;
    request.messageId = Id(messageId);
    d->call(event::DeleteMessage, request.toPayload(), [](const Envelope&) {});
}

void ComposerController::startReply(double messageId)
{
    const Message* m = d->messages->find(Id(messageId));
    if (!m || m->deleted)
        return;
    cancelEdit();
    d->replyToId = m->id;
    emit replyChanged();
}

void ComposerController::cancelReply()
{
    if (d->replyToId == 0)
        return;
    d->replyToId = 0;
    emit replyChanged();
}

void ComposerController::toggleReaction(double messageId, const QString& emoji)
{
    react(messageId, emoji, !d->messages->hasMyReaction(Id(messageId), emoji));
}

void ComposerController::react(double messageId, const QString& emoji, bool on)
{
    if (!validation::emojiProblem(emoji).isEmpty())
        return; // the server would refuse it (the picker never offers such)
    ReactRequest request;
    request.messageId = Id(messageId);
    request.emoji = emoji;
    request.on = on;
    d->call(event::React, request.toPayload(), [](const Envelope&) {});
}

void ComposerController::copyText(double messageId) const
{
    const Message* m = d->messages->find(Id(messageId));
    if (m && !m->deleted)
        QGuiApplication::clipboard()->setText(m->content);
}

} // namespace confab::client
