// register, login, auth (also from the handshake), logout, ping.
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"
#include "logging.h"

#include "protocol/event_names.h"
#include "protocol/requests.h"
#include "protocol/validation.h"

#include <QPointer>

namespace confab::server {
namespace {

Error invalidLogin()
{
    return makeError(ErrorCode::InvalidCredentials, QStringLiteral("invalid username or password"));
}

Error accountDisabled()
{
    return makeError(ErrorCode::Forbidden, QStringLiteral("account disabled"));
}

Error rateLimited(qint64 waitMs, const QString& what)
{
    Error e = makeError(ErrorCode::RateLimited, what);
    e.retryAfterMs = waitMs;
    return e;
}

struct Session {
    User user;
    QString token;
    QByteArray hash;
};

// Issues a new token for the user and signs the connection in with it.
void startSession(Hub& hub, QPointer<Connection> connection, const User& user, const QJsonValue& id)
{
    Session session{user, newSessionToken(), {}};
    session.hash = tokenHash(session.token);
    const qint64 now = hub.nowMs();
    const qint64 expires = now + hub.config().tokenLifetimeMs;
    hub.db<Result<void>>([session, now, expires](
                             Store& s) { return s.insertToken(session.hash, session.user.id, now, expires); },
                         [&hub, connection, session, id](Result<void> stored) {
                             if (!connection)
                                 return;
                             if (!stored) {
                                 Hub::replyError(connection, stored.error(), id);
                                 return;
                             }
                             hub.authenticate(connection, session.user, session.token, session.hash, id);
                         });
}

} // namespace

void handlePing(Hub&, Connection* connection, const Envelope& request)
{
    Hub::reply(connection, event::Pong, QJsonObject(), request.id);
}

void handleRegister(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = RegisterRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const RegisterRequest r = parsed.value();
    // Who may register (--registration, docs/admin.md); before the costly hash.
    const ServerConfig::Registration mode = hub.config().registration;
    if (mode == ServerConfig::Registration::Closed)
        return Hub::replyError(connection,
                               makeError(ErrorCode::Forbidden, QStringLiteral("registration is closed")),
                               request.id);
    if (mode == ServerConfig::Registration::Invite && r.invite.isEmpty())
        return Hub::replyError(
            connection,
            makeError(ErrorCode::Forbidden, QStringLiteral("registration needs an invite code (invite)")),
            request.id);
    if (r.password.size() < hub.config().minPasswordLength) {
        return Hub::replyError(
            connection,
            makeError(ErrorCode::BadRequest, QStringLiteral("password must be at least %1 characters")
                                                 .arg(hub.config().minPasswordLength)),
            request.id);
    }
    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    hub.hasher().hash(&hub, r.password, [&hub, guard, r, id](Result<QByteArray> hashed) {
        if (!guard)
            return; // nobody is waiting for the account any more: create nothing
        if (!hashed)
            return Hub::replyError(guard, hashed.error(), id);
        const qint64 now = hub.nowMs();
        const QByteArray hash = hashed.value();
        // Outside invite mode a code sent anyway is ignored, never checked.
        const QByteArray invite = hub.config().registration == ServerConfig::Registration::Invite
                                      ? tokenHash(r.invite)
                                      : QByteArray();
        hub.db<Result<User>>(
            [r, hash, invite, now](Store& s) {
                return invite.isEmpty() ? s.createUser(r.username, r.displayName, hash, now)
                                        : s.createInvitedUser(r.username, r.displayName, hash, invite, now);
            },
            [&hub, guard, id](Result<User> created) {
                if (!guard)
                    return;
                if (!created)
                    return Hub::replyError(guard, created.error(), id);
                qCInfo(lcAuth) << "registered user" << created->id << created->username;
                startSession(hub, guard, created.value(), id);
            });
    });
}

void handleLogin(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = LoginRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const LoginRequest r = parsed.value();
    const QString userKey = validation::foldCase(r.username);
    const QString peerKey = connection->peerAddress();
    const qint64 now = hub.monotonicMs();
    const qint64 userWait = hub.userLoginLimiter().msUntilAvailable(userKey, now);
    const qint64 addressWait = hub.addressLoginLimiter().msUntilAvailable(peerKey, now);
    const qint64 wait = std::max(userWait, addressWait);
    if (wait > 0) {
        hub.metrics().countRateLimited(userWait >= addressWait ? RateLimit::LoginPerUser
                                                               : RateLimit::LoginPerAddress);
        return Hub::replyError(connection, rateLimited(wait, QStringLiteral("too many failed logins")),
                               request.id);
    }

    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    auto failed = [&hub, guard, userKey, peerKey, id] {
        hub.userLoginLimiter().consume(userKey, hub.monotonicMs());
        hub.addressLoginLimiter().consume(peerKey, hub.monotonicMs());
        if (guard)
            Hub::replyError(guard, invalidLogin(), id);
    };
    hub.db<Result<Credentials>>(
        [username = r.username](Store& s) { return s.credentialsByUsername(username); },
        [&hub, guard, r, id, failed](Result<Credentials> found) {
            if (!found && found.error().code != ErrorCode::NotFound) {
                if (guard)
                    Hub::replyError(guard, found.error(), id);
                return;
            }
            // Unknown users cost a full verification too (no timing oracle).
            const Credentials credentials = found ? found.value() : Credentials{};
            hub.hasher().verify(&hub, r.password, credentials.passwordHash,
                                [&hub, guard, credentials, id, failed](bool match) {
                                    if (!match)
                                        return failed();
                                    // Only the password's holder learns that the
                                    // account exists and is disabled (docs/admin.md).
                                    if (credentials.disabled) {
                                        if (guard)
                                            Hub::replyError(guard, accountDisabled(), id);
                                        return;
                                    }
                                    if (guard)
                                        startSession(hub, guard, credentials.user, id);
                                });
        });
}

void authenticateWithToken(Hub& hub, Connection* connection, const QString& token, const QJsonValue& id)
{
    QPointer<Connection> guard(connection);
    const QByteArray hash = tokenHash(token);
    const qint64 now = hub.nowMs();
    hub.db<Result<User>>([hash, now](Store& s) { return s.userForToken(hash, now); },
                         [&hub, guard, token, hash, id](Result<User> user) {
                             if (!guard)
                                 return;
                             if (!user)
                                 return Hub::replyError(guard, user.error(), id);
                             hub.authenticate(guard, user.value(), token, hash, id);
                         });
}

void handleAuth(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = AuthRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    authenticateWithToken(hub, connection, parsed->token, request.id);
}

void handleLogout(Hub& hub, Connection* connection, const Envelope& request)
{
    QPointer<Connection> guard(connection);
    const QByteArray hash = connection->tokenHash();
    const Id userId = connection->userId();
    const QJsonValue id = request.id;
    hub.db<Result<void>>([hash](Store& s) { return s.revokeToken(hash); },
                         [&hub, guard, hash, userId, id](Result<void> revoked) {
                             if (!revoked) {
                                 if (guard)
                                     Hub::replyError(guard, revoked.error(), id);
                                 return;
                             }
                             // Every connection that used this token is signed out.
                             const QList<Connection*> others = hub.sessions().connectionsOf(userId);
                             for (Connection* other : others) {
                                 if (other != guard && other->tokenHash() == hash) {
                                     hub.deauthenticate(other);
                                     other->close(ws::close_code::PolicyViolated,
                                                  QStringLiteral("logged out"));
                                 }
                             }
                             if (guard) {
                                 if (guard->userId() == userId)
                                     hub.deauthenticate(guard);
                                 Hub::reply(guard, event::Ok, QJsonObject(), id);
                             }
                             qCInfo(lcAuth) << "user" << userId << "logged out";
                         });
}

} // namespace confab::server
