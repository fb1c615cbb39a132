// AccountController: sign-in and sign-out, certificates, the connection state.
#include "account_controller.h"
#include "chat_client_private.h"

#include "server_address.h"

#include <cmath>

namespace confab::client {

AccountController::AccountController(ClientCore* core)
    : d(core)
{}

void ClientCore::beginSignIn(const QUrl& url)
{
    if (session->state() != Session::State::Disconnected)
        session->disconnectFromServer();
    if (url != server) {
        server = url;
        emit account->serverUrlChanged();
    }
    resuming = false;
    resumeRetry.stop();
    setError({});
    setBusy(true);
}

void ClientCore::onAuthenticated(const User& user, const QString& token)
{
    // A silent re-auth after a reconnect (not the first answer while the
    // stored state is shown).
    const bool again = signedIn && !showingStored && me.id == user.id;
    if (showingStored && me.id != user.id)
        clearAccountState(); // the token was another account's: nothing of the shown state is valid
    const bool wasShowingStored = std::exchange(showingStored, false) && signedIn;
    me = user;
    users->upsert(user);
    rooms->setSelfUserId(user.id);
    messages->setSelfUserId(user.id);
    settings.setLastServer(server);
    settings.setLastUsername(user.username);
    if (!token.isEmpty())
        tokens->save(server, user.username, token);
    if (again)
        return;
    store->load(); // -> adoptStored(): what an earlier run left unsent
    resuming = false;
    resumeToken.clear();
    setBusy(false);
    setError({});
    if (wasShowingStored) {
        refresh(true); // the open room catches up from what it showed
        return;
    }
    signedIn = true;
    emit account->signedInChanged();
    refresh(false);
}

void ClientCore::onAuthenticationFailed(const Error& error)
{
    if (resuming && error.code != ErrorCode::InvalidCredentials && error.code != ErrorCode::BadRequest) {
        // The server is down or busy; the stored session is still good.
        setError(AccountController::tr("%1 Retrying…").arg(describeError(error)));
        resumeRetry.start(std::min(30000, 2000 << std::min(resumeAttempts++, 4)));
        return;
    }
    const bool hadSession = resuming || signedIn;
    resuming = false;
    setBusy(false);
    if (hadSession && (error.code == ErrorCode::InvalidCredentials || error.code == ErrorCode::BadRequest)) {
        tokens->remove(server); // expired or revoked: it will never work again
        if (signedIn) {
            clearAccountState();
            signedIn = false;
            emit account->signedInChanged();
        }
        setError(AccountController::tr("Your session has ended. Please sign in again."));
        return;
    }
    setError(describeError(error));
}

void ClientCore::onStateChanged()
{
    emit account->connectionStateChanged();
}

void ClientCore::clearAccountState()
{
    typing->stopLocal();
    notifications->clearAll();
    outbox->clear();
    closeRoom();
    rooms->setRooms({});
    candidates.clear();
    memberCandidates->setUsers({});
    userResults->setUsers({});
    searchResults->clear();
    mentions->clear();
    drafts.clear();
    markedRead.clear();
    pendingMarks.clear();
    storeAdopted = false;
    showingStored = false;
    cachedPages.clear();
    cacheSoon.stop();
    recent.clear();
    recentOrder.clear();
    users->clear();
    me = User{};
}

void ClientCore::setBusy(bool value)
{
    if (busy == value)
        return;
    busy = value;
    emit account->busyChanged();
}

void ClientCore::setError(const QString& message)
{
    if (errorMessage == message)
        return;
    errorMessage = message;
    emit account->errorMessageChanged();
}

void ClientCore::setKeychainMessage(const QString& message)
{
    if (keychainMessage == message)
        return;
    keychainMessage = message;
    emit account->keychainMessageChanged();
}

void AccountController::signIn(const QString& server, const QString& username, const QString& password)
{
    const QUrl url = parseServerAddress(server);
    if (!url.isValid()) {
        d->setError(tr("Enter a server address such as ws://192.168.1.10:7860 or wss://chat.example.com."));
        return;
    }
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        d->setError(tr("Enter your username and password."));
        return;
    }
    d->beginSignIn(url);
    d->session->signIn(url, username.trimmed(), password);
}

void AccountController::signUp(const QString& server, const QString& username, const QString& password,
                               const QString& displayName, const QString& invite)
{
    const QUrl url = parseServerAddress(server);
    if (!url.isValid()) {
        d->setError(tr("Enter a server address such as ws://192.168.1.10:7860 or wss://chat.example.com."));
        return;
    }
    if (username.trimmed().isEmpty() || password.isEmpty()) {
        d->setError(tr("Choose a username and a password."));
        return;
    }
    d->beginSignIn(url);
    d->session->signUp(url, username.trimmed(), password, displayName.trimmed(), invite.trimmed());
}

void AccountController::signOut()
{
    d->resumeRetry.stop();
    d->resumeToken.clear();
    d->typing->stopLocal();
    d->session->signOut();
    d->tokens->remove(d->server);
    d->store->wipe(); // the outbox, drafts and cache of this account
    d->resuming = false;
    d->setBusy(false);
    d->setError({});
    const bool was = d->signedIn;
    d->clearAccountState();
    d->signedIn = false;
    if (was)
        emit signedInChanged();
}

void AccountController::acceptCertificate(const QString& fingerprint)
{
    if (!d->session->acceptPendingCertificate(fingerprint))
        return;
    d->setError({});
}

void AccountController::rejectCertificate()
{
    const PendingCertificate pending = d->session->pendingCertificate();
    if (!pending.isValid())
        return;
    d->resumeRetry.stop();
    d->resuming = false;
    d->resumeToken.clear();
    d->session->disconnectFromServer();
    d->setBusy(false);
    if (d->signedIn) {
        d->typing->stopLocal();
        d->clearAccountState();
        d->signedIn = false;
        emit signedInChanged();
    }
    d->setError(pending.changed()
                    ? tr("Not connected: the certificate of %1 has changed and you did not accept it.")
                          .arg(serverAuthority(pending.server))
                    : tr("Not connected: you did not trust the certificate of %1.")
                          .arg(serverAuthority(pending.server)));
}

QVariantMap AccountController::pendingCertificate() const
{
    const PendingCertificate& pending = d->session->pendingCertificate();
    if (!pending.isValid())
        return {};
    return {{QStringLiteral("url"), pending.server.toDisplayString()},
            {QStringLiteral("host"), serverAuthority(pending.server)},
            {QStringLiteral("fingerprint"), pending.fingerprint},
            {QStringLiteral("previousFingerprint"), pending.previousFingerprint},
            {QStringLiteral("changed"), pending.changed()},
            {QStringLiteral("subject"), pending.subject},
            {QStringLiteral("expires"), pending.expires}};
}

Session::State AccountController::connectionState() const
{
    return d->session->state();
}
bool AccountController::signedIn() const
{
    return d->signedIn;
}
bool AccountController::busy() const
{
    return d->busy;
}
QString AccountController::errorMessage() const
{
    return d->errorMessage;
}
QString AccountController::keychainMessage() const
{
    return d->keychainMessage;
}
QUrl AccountController::serverUrl() const
{
    return d->server;
}
QString AccountController::lastUsername() const
{
    return d->lastUsername;
}
double AccountController::userId() const
{
    return double(d->me.id);
}
QString AccountController::username() const
{
    return d->me.username;
}
QString AccountController::displayName() const
{
    return d->me.displayName.isEmpty() ? d->me.username : d->me.displayName;
}
QString AccountController::connectionText() const
{
    switch (d->session->state()) {
    case Session::State::Disconnected:
        return d->signedIn ? tr("Offline") : tr("Not connected");
    case Session::State::Connecting:
        return tr("Connecting…");
    case Session::State::Authenticating:
        return tr("Signing in…");
    case Session::State::Online:
        return tr("Connected");
    case Session::State::Reconnecting:
        return tr("Offline — reconnecting…");
    case Session::State::AwaitingTrust:
        return d->session->pendingCertificate().changed()
                   ? tr("The server's certificate has changed")
                   : tr("Waiting for you to check the server's certificate");
    }
    return {};
}

CertificatePinStore* AccountController::pinStore() const
{
    return &d->settings;
}

} // namespace confab::client
