#pragma once

#include "emoji_model.h"
#include "user_list_model.h"

#include <QObject>
#include <QVariantList>
#include <QVariantMap>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

struct ClientCore;

// Writing in the open room and acting on its messages: optimistic sends
// (kept in order across reconnects, each with its tempId so retries never
// duplicate), replies, editing in place, deleting, reactions, @mention
// candidates, the emoji picker's list, and each room's unsent draft.
class ComposerController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.composer")
    Q_PROPERTY(
        confab::client::UserListModel* memberCandidates READ memberCandidates CONSTANT) // @ autocomplete
    Q_PROPERTY(confab::client::EmojiModel* emoji READ emoji CONSTANT)
    // The message being edited in the composer, 0 when writing a new one.
    Q_PROPERTY(double editingId READ editingId NOTIFY editingChanged)
    // The message the next send answers, 0 when none; replyPreview is
    // {senderName, text (first line)} for the bar above the composer.
    Q_PROPERTY(double replyToId READ replyToId NOTIFY replyChanged)
    Q_PROPERTY(QVariantMap replyPreview READ replyPreview NOTIFY replyChanged)
    // Sends not yet acknowledged (queued, in flight or failed): quitting asks first.
    Q_PROPERTY(int unsentCount READ unsentCount NOTIFY unsentCountChanged)
    // The longest message the server takes (UTF-16 units); the composer
    // counts down near it and does not send past it.
    Q_PROPERTY(int maxLength READ maxLength CONSTANT)

public:
    explicit ComposerController(ClientCore* core);

    UserListModel* memberCandidates() const;
    EmojiModel* emoji() const;
    double editingId() const;
    double replyToId() const;
    QVariantMap replyPreview() const;
    int unsentCount() const;
    int maxLength() const;

    // Optimistic: appears at once as pending; answers replyToId when set.
    // `mentions` as from MentionTracker.
    Q_INVOKABLE void sendMessage(const QString& text, const QVariantList& mentions);
    // Enter in the composer: saves the edit under way, else sends.
    Q_INVOKABLE void submit(const QString& text, const QVariantList& mentions);
    Q_INVOKABLE void retry(const QString& tempId);
    // Gives up on a send not yet acknowledged (its uploads are cancelled).
    Q_INVOKABLE void cancelSend(const QString& tempId);
    Q_INVOKABLE void queryMembers(const QString& prefix); // -> memberCandidates (search_users with roomId)
    Q_INVOKABLE void saveDraft(double roomId, const QString& text);
    Q_INVOKABLE QString draft(double roomId) const;

    // Starts editing one of my loaded messages: {content, mentions} to put
    // in the composer, or {} when it cannot be edited (not mine, deleted).
    Q_INVOKABLE QVariantMap startEdit(double messageId);
    Q_INVOKABLE QVariantMap startEditLast(); // Up in an empty composer
    Q_INVOKABLE void cancelEdit();
    // The server refuses edits past its window and of others' messages; the
    // message changes when its `message_updated` comes.
    Q_INVOKABLE void editMessage(double messageId, const QString& text, const QVariantList& mentions);
    Q_INVOKABLE void deleteMessage(double messageId);
    Q_INVOKABLE void startReply(double messageId);
    Q_INVOKABLE void cancelReply();
    // On when I have not reacted with `emoji` yet, else off.
    Q_INVOKABLE void toggleReaction(double messageId, const QString& emoji);
    Q_INVOKABLE void react(double messageId, const QString& emoji, bool on);
    Q_INVOKABLE void copyText(double messageId) const; // to the clipboard
    // Which of Edit, Delete and Pin to offer for a loaded message, as {edit, delete, pin}
    // (bools), by the server's rules: my own text messages within the edit
    // and delete windows; any message of a group I own at any time. Asked
    // when the actions show: the windows close while the app runs. `pin`:
    // a group's owner and admins, either side of a DM (room_rights.h).
    Q_INVOKABLE QVariantMap actionRights(double messageId) const;

signals:
    void editingChanged();
    void replyChanged();
    void unsentCountChanged();

private:
    ClientCore* const d;
};

} // namespace confab::client
