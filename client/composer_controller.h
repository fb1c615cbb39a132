#pragma once

#include "user_list_model.h"

#include <QObject>
#include <QVariantList>
#include <QtQml/qqmlregistration.h>

namespace confab::client {

struct ClientCore;

// Writing in the open room: optimistic sends (kept in order across
// reconnects, each with its tempId so retries never duplicate), @mention
// candidates, and each room's unsent draft.
class ComposerController : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("ChatClient.composer")
    Q_PROPERTY(
        confab::client::UserListModel* memberCandidates READ memberCandidates CONSTANT) // @ autocomplete

public:
    explicit ComposerController(ClientCore* core);

    UserListModel* memberCandidates() const;

    // Optimistic: appears at once as pending. `mentions` as from MentionTracker.
    Q_INVOKABLE void sendMessage(const QString& text, const QVariantList& mentions);
    Q_INVOKABLE void retry(const QString& tempId);
    Q_INVOKABLE void queryMembers(const QString& prefix); // -> memberCandidates (search_users with roomId)
    Q_INVOKABLE void saveDraft(double roomId, const QString& text);
    Q_INVOKABLE QString draft(double roomId) const;

private:
    ClientCore* const d;
};

} // namespace confab::client
