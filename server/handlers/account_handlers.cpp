// set_profile, change_password (contract, second part: "Attention"). The
// store applies each in one transaction and records the change; Delivery
// sends user_updated (to the user's other connections and to people who
// share a room) and signs out the user's other sessions, on every instance.
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"

#include "protocol/attention.h"
#include "protocol/event_names.h"
#include "protocol/validation.h"

#include <QPointer>

namespace confab::server {
namespace {

Error wrongPassword()
{
    return makeError(ErrorCode::InvalidCredentials, QStringLiteral("the old password is wrong"));
}

Error tooManyGuesses(qint64 waitMs)
{
    Error e = makeError(ErrorCode::RateLimited, QStringLiteral("too many wrong passwords"));
    e.retryAfterMs = waitMs;
    return e;
}

// After the old password matched: hashes the new one and stores it, only
// over the hash that was checked (the store refuses when it changed meanwhile).
void storeNewPassword(Hub& hub, QPointer<Connection> guard, Id userId, const QByteArray& verifiedHash,
                      const QString& newPassword, const QJsonValue& id)
{
    quint64 ticket = 0;
    if (!admitHash(hub, guard, id, &ticket))
        return;
    hub.hasher().hash(ticket, newPassword,
                      [&hub, guard, userId, verifiedHash, id](Result<QByteArray> hashed) {
                          if (!guard)
                              return; // nobody is waiting: change nothing
                          if (!hashed)
                              return Hub::replyError(guard, hashed.error(), id);
                          const QByteArray keep = guard->tokenHash();
                          hub.db<Result<void>>(
                              [userId, verifiedHash, newHash = hashed.value(), keep](Store& s) {
                                  return s.changePassword(userId, verifiedHash, newHash, keep);
                              },
                              [guard, id](Result<void> changed) {
                                  if (!guard)
                                      return;
                                  if (!changed)
                                      return Hub::replyError(guard, changed.error(), id);
                                  Hub::reply(guard, event::Ok, QJsonObject(), id);
                              });
                      });
}

} // namespace

void handleSetProfile(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = SetProfileRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const SetProfileRequest r = parsed.value();
    const ProfileChange change{r.displayName, r.statusText, r.status, r.sendReceipts};
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const Id me = connection->userId();
    hub.db<Result<User>>([me, change](Store& s) { return s.updateProfile(me, change); },
                         [&hub, guard, id](Result<User> user) {
                             if (!guard)
                                 return;
                             if (!user)
                                 return Hub::replyError(guard, user.error(), id);
                             Hub::reply(guard, event::User,
                                        UserReply{hub.withPresence(user.value())}.toPayload(), id);
                         });
}

// Costs two password hashes (the old one checked, the new one made), so it
// takes places in the hash queue like a login; a wrong old password is a
// failed guess charged to the user's failed-login bucket, which a right one
// gives back.
void handleChangePassword(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = ChangePasswordRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const ChangePasswordRequest r = parsed.value();
    if (r.newPassword.size() < hub.config().minPasswordLength) {
        return Hub::replyError(
            connection,
            makeError(ErrorCode::BadRequest, QStringLiteral("newPassword must be at least %1 "
                                                            "characters")
                                                 .arg(hub.config().minPasswordLength)),
            request.id);
    }
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    const Id me = connection->userId();
    hub.db<Result<Credentials>>(
        [me](Store& s) { return s.credentialsById(me); },
        [&hub, guard, r, me, id](Result<Credentials> found) {
            if (!guard)
                return;
            if (!found)
                return Hub::replyError(guard, found.error(), id);
            const QString key = validation::usernameKey(found->user.username);
            if (const qint64 wait = hub.userLoginLimiter().msUntilAvailable(key, hub.monotonicMs());
                wait > 0) {
                hub.metrics().countRateLimited(RateLimit::LoginPerUser);
                return Hub::replyError(guard, tooManyGuesses(wait), id);
            }
            quint64 ticket = 0;
            if (!admitHash(hub, guard, id, &ticket))
                return;
            hub.userLoginLimiter().take(key, hub.monotonicMs());
            const QByteArray verifiedHash = found->passwordHash;
            hub.hasher().verify(ticket, r.oldPassword, verifiedHash,
                                [&hub, guard, r, me, key, verifiedHash, id](bool match) {
                                    if (!guard)
                                        return;
                                    if (!match)
                                        return Hub::replyError(guard, wrongPassword(), id);
                                    hub.userLoginLimiter().giveBack(key, hub.monotonicMs());
                                    storeNewPassword(hub, guard, me, verifiedHash, r.newPassword, id);
                                });
        });
}

} // namespace confab::server
