#pragma once

#include "account_controller.h"
#include "attention_controller.h"
#include "avatar_controller.h"
#include "composer_controller.h"
#include "conversation_controller.h"
#include "files_controller.h"
#include "group_controller.h"
#include "pins_controller.h"
#include "profile_controller.h"
#include "rooms_controller.h"
#include "search_controller.h"
#include "session.h"

#include <QObject>
#include <QUrl>
#include <QtQml/qqmlregistration.h>

#include <memory>

namespace confab::client {

class DesktopNotifier;
struct ClientCore;

// The root of what the QML views talk to: one small object per concern
// (the account and connection, the room list, the open conversation, the
// composer, search), each handed to the views that need it. Owns the
// Session, the models, the outbox, the keychain token and notifications
// (in ClientCore). QML never touches sockets or SQL; this never touches QML
// items.
class ChatClient : public QObject {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("created by the application")
    Q_PROPERTY(confab::client::AccountController* account READ account CONSTANT)
    Q_PROPERTY(confab::client::RoomsController* rooms READ rooms CONSTANT)
    Q_PROPERTY(confab::client::ConversationController* conversation READ conversation CONSTANT)
    Q_PROPERTY(confab::client::ComposerController* composer READ composer CONSTANT)
    Q_PROPERTY(confab::client::SearchController* search READ search CONSTANT)
    Q_PROPERTY(confab::client::AttentionController* attention READ attention CONSTANT)
    Q_PROPERTY(confab::client::ProfileController* profile READ profile CONSTANT)
    Q_PROPERTY(confab::client::PinsController* pins READ pins CONSTANT)
    Q_PROPERTY(confab::client::GroupController* groups READ groups CONSTANT)
    Q_PROPERTY(confab::client::AvatarController* avatars READ avatars CONSTANT)
    Q_PROPERTY(confab::client::FilesController* files READ files CONSTANT)
    // Whether the window has focus: read markers and notifications follow it.
    Q_PROPERTY(bool windowActive READ windowActive WRITE setWindowActive NOTIFY windowActiveChanged)

public:
    struct Options {
        QUrl server; // --server; empty: the profile's last server
        QString profile = QStringLiteral("default");
        QString keychainService = QStringLiteral("Confab");
        bool autoResume = true; // sign in with the stored token at start
        // Stands in for the desktop's notification service (tests); not owned.
        DesktopNotifier* notifier = nullptr;
        // Tests shorten these: how long someone else's "is typing" lasts
        // without a refresh (TypingState::kExpiryMs), and how long a send
        // waits for its ack before it is shown as not sent.
        int typingExpiryMs = 8000;
        int sendTimeoutMs = 15000;
        // The profile's local store (outbox, drafts, cache); empty:
        // LocalStore::pathFor(profile).
        QString storePath;
    };

    explicit ChatClient(const Options& options, QObject* parent = nullptr);
    ~ChatClient() override;

    AccountController* account() const;
    RoomsController* rooms() const;
    ConversationController* conversation() const;
    ComposerController* composer() const;
    SearchController* search() const;
    AttentionController* attention() const;
    ProfileController* profile() const;
    PinsController* pins() const;
    GroupController* groups() const;
    AvatarController* avatars() const;
    FilesController* files() const;
    Session* session() const;

    bool windowActive() const;
    void setWindowActive(bool active);

signals:
    void windowActiveChanged();

private:
    std::unique_ptr<ClientCore> d;
};

} // namespace confab::client
