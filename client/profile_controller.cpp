// ProfileController: set_profile and change_password, and my user as the
// server last described it (the `user` reply, user_updated about me).
#include "profile_controller.h"
#include "chat_client_private.h"

#include "protocol/attention.h"
#include "protocol/envelope.h"
#include "protocol/event_names.h"

namespace confab::client {

static_assert(int(ProfileController::Status::Available) == int(UserStatus::Available) &&
              int(ProfileController::Status::Away) == int(UserStatus::Away) &&
              int(ProfileController::Status::Dnd) == int(UserStatus::Dnd));

ProfileController::ProfileController(ClientCore* core)
    : d(core)
{
    connect(d->session.get(), &Session::userUpdated, this, [this](const User& user) {
        if (user.id == d->me.id && user.id != 0) {
            d->me = d->session->user();
            emit profileChanged();
            emit d->account->signedInChanged(); // the name beside the avatar
        }
    });
    connect(d->account.get(), &AccountController::signedInChanged, this, &ProfileController::profileChanged);
}

ProfileController::Status ProfileController::status() const
{
    return fromProtocol(d->session->user().status);
}

QString ProfileController::statusText() const
{
    return d->session->user().statusText;
}

QString ProfileController::displayName() const
{
    return d->session->user().displayName;
}

bool ProfileController::sendReceipts() const
{
    return d->session->user().sendReceipts.value_or(true);
}

bool ProfileController::receiptsAllowed() const
{
    return d->session->policy().receipts;
}

void ProfileController::setStatus(Status status, const QString& text)
{
    SetProfileRequest request;
    request.status = UserStatus(int(status));
    request.statusText = text.trimmed();
    send(request.toPayload());
}

void ProfileController::setDisplayName(const QString& name)
{
    SetProfileRequest request;
    request.displayName = name.trimmed();
    send(request.toPayload());
}

void ProfileController::setSendReceipts(bool on)
{
    SetProfileRequest request;
    request.sendReceipts = on;
    send(request.toPayload());
}

void ProfileController::send(const QJsonObject& payload)
{
    d->call(event::SetProfile, payload, [this](const Envelope& reply) {
        const auto parsed = UserReply::fromPayload(reply.payload);
        if (!parsed)
            return;
        d->session->setUser(parsed->user);
        d->me = parsed->user;
        d->users->upsert(parsed->user);
        emit profileChanged();
        emit d->account->signedInChanged(); // the name beside the avatar
    });
}

void ProfileController::changePassword(const QString& oldPassword, const QString& newPassword)
{
    ChangePasswordRequest request;
    request.oldPassword = oldPassword;
    request.newPassword = newPassword;
    d->session->request(event::ChangePassword, request.toPayload(), [this](const Envelope& reply) {
        if (isErrorReply(reply))
            emit passwordChangeFinished(false, describeError(errorOfReply(reply)));
        else
            emit passwordChangeFinished(true, tr("Password changed. Your other sessions were signed out."));
    });
}

QString ProfileController::statusLabel(Status status)
{
    switch (status) {
    case Status::Away:
        return tr("Away");
    case Status::Dnd:
        return tr("Do not disturb");
    case Status::Available:
        break;
    }
    return tr("Available");
}

ProfileController::Status ProfileController::fromProtocol(UserStatus status)
{
    return Status(int(status));
}

} // namespace confab::client
