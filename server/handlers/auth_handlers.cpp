// register, login, auth (also from the handshake), logout, ping.
#include "connection.h"
#include "handlers/handlers.h"
#include "hub.h"
#include "base/logging.h"

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

} // namespace

// Admits a password hash for the request (PasswordHasher's bounds), or
// answers rate_limited; the same for every username, known or not.
bool admitHash(Hub& hub, Connection* connection, const QJsonValue& id, quint64* ticket)
{
    const PasswordHasher::Admission admission =
        hub.hasher().admit(HashClient{connection->serial(), connection->peerAddress()});
    if (!admission) {
        hub.metrics().countRateLimited(RateLimit::PasswordHashing);
        Hub::replyError(connection,
                        rateLimited(admission.retryAfterMs, QStringLiteral("too many sign-ins in progress")),
                        id);
        return false;
    }
    *ticket = admission.ticket;
    return true;
}

namespace {

struct Session {
    User user;
    QString token;
    QByteArray hash;
};

// Issues a new token for the user, whose password was checked against
// `passwordHash`, and signs the connection in with it. The store refuses the
// token when a reset or disable committed meanwhile; one that commits after
// it revokes it, and reaches this server as an access change: when one was
// applied while the token was being stored, it may be that one.
void startSession(Hub& hub, QPointer<Connection> connection, const User& user, const QByteArray& passwordHash,
                  const QJsonValue& id)
{
    Session session{user, newSessionToken(), {}};
    session.hash = tokenHash(session.token);
    const qint64 now = hub.nowMs();
    const qint64 expires = now + hub.config().tokenLifetimeMs;
    const qint64 issuedFrom = hub.monotonicMs();
    hub.db<Result<void>>(
        [session, passwordHash, now, expires](Store& s) {
            return s.issueToken(session.hash, session.user.id, passwordHash, now, expires);
        },
        [&hub, connection, session, issuedFrom, id](Result<void> stored) {
            if (!connection)
                return;
            if (!stored)
                return Hub::replyError(connection, stored.error(), id);
            if (const auto change = hub.accessChangedSince(session.user.id, issuedFrom)) {
                return Hub::replyError(
                    connection,
                    *change == ChangeRecord::Kind::UserDisabled ? accountDisabled() : invalidLogin(), id);
            }
            hub.authenticate(connection, session.user, session.token, session.hash, id);
        });
}

} // namespace

void handlePing(Hub&, Connection* connection, const Envelope& request)
{
    Hub::reply(connection, event::Pong, QJsonObject(), request.id);
}

// Checked before anything costly, in this order: the registration mode, the
// password's length, the address's registration bucket, a place in the hash
// queue; then (store) the invite and the username; only then the hash. The
// bucket is charged when the attempt is admitted and never given back: it
// bounds the accounts (and invite guesses) one address can make.
void handleRegister(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = RegisterRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const RegisterRequest r = parsed.value();
    // Who may register (--registration, docs/admin.md).
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
    const QString peerKey = connection->peerAddress();
    if (const qint64 wait = hub.registerLimiter().msUntilAvailable(peerKey, hub.monotonicMs()); wait > 0) {
        hub.metrics().countRateLimited(RateLimit::RegisterPerAddress);
        return Hub::replyError(connection,
                               rateLimited(wait, QStringLiteral("too many registrations from this address")),
                               request.id);
    }
    quint64 ticket = 0;
    if (!admitHash(hub, connection, request.id, &ticket))
        return;
    hub.registerLimiter().take(peerKey, hub.monotonicMs());

    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    // Outside invite mode a code sent anyway is ignored, never checked.
    const QByteArray invite = mode == ServerConfig::Registration::Invite ? tokenHash(r.invite) : QByteArray();
    hub.db<Result<void>>(
        [r, invite, now = hub.nowMs()](Store& s) { return s.checkRegistration(r.username, invite, now); },
        [&hub, guard, r, invite, ticket, id](Result<void> allowed) {
            if (!guard || !allowed) {
                hub.hasher().release(ticket);
                if (guard)
                    Hub::replyError(guard, allowed.error(), id);
                return;
            }
            hub.hasher().hash(ticket, r.password, [&hub, guard, r, invite, id](Result<QByteArray> hashed) {
                if (!guard)
                    return; // nobody is waiting for the account any more: create nothing
                if (!hashed)
                    return Hub::replyError(guard, hashed.error(), id);
                const qint64 now = hub.nowMs();
                const QByteArray hash = hashed.value();
                hub.db<Result<User>>(
                    [r, hash, invite, now](Store& s) {
                        // Still decided here, atomically: the checks above only spared a hash.
                        return invite.isEmpty()
                                   ? s.createUser(r.username, r.displayName, hash, now)
                                   : s.createInvitedUser(r.username, r.displayName, hash, invite, now);
                    },
                    [&hub, guard, hash, id](Result<User> created) {
                        if (!guard)
                            return;
                        if (!created)
                            return Hub::replyError(guard, created.error(), id);
                        qCInfo(lcAuth) << "registered user" << created->id << created->username;
                        startSession(hub, guard, created.value(), hash, id);
                    });
            });
        });
}

// The per-username and per-address buckets are charged when the attempt is
// admitted (before the store lookup and the hash), so a pipelined batch
// passes only as far as the buckets allow, and given back when the password
// matched: they count wrong guesses, as their options say, and a team that
// signs in together from one address never drains its address's bucket.
void handleLogin(Hub& hub, Connection* connection, const Envelope& request)
{
    auto parsed = LoginRequest::fromPayload(request.payload);
    if (!parsed)
        return Hub::replyError(connection, parsed.error(), request.id);
    const LoginRequest r = parsed.value();
    const QString userKey = validation::usernameKey(r.username);
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
    quint64 ticket = 0;
    if (!admitHash(hub, connection, request.id, &ticket))
        return;
    hub.userLoginLimiter().take(userKey, now);
    hub.addressLoginLimiter().take(peerKey, now);

    QPointer<Connection> guard(connection);
    const QJsonValue id = request.id;
    auto giveBack = [&hub, userKey, peerKey] {
        hub.userLoginLimiter().giveBack(userKey, hub.monotonicMs());
        hub.addressLoginLimiter().giveBack(peerKey, hub.monotonicMs());
    };
    hub.db<Result<Credentials>>(
        [username = r.username](Store& s) { return s.credentialsByUsername(username); },
        [&hub, guard, r, ticket, id, giveBack](Result<Credentials> found) {
            if (!guard || (!found && found.error().code != ErrorCode::NotFound)) {
                hub.hasher().release(ticket);
                giveBack(); // no guess was checked
                if (guard)
                    Hub::replyError(guard, found.error(), id);
                return;
            }
            // Unknown users cost a full verification too (no timing oracle).
            const Credentials credentials = found ? found.value() : Credentials{};
            hub.hasher().verify(ticket, r.password, credentials.passwordHash,
                                [&hub, guard, credentials, id, giveBack](bool match) {
                                    if (!guard)
                                        return;
                                    if (!match)
                                        return Hub::replyError(guard, invalidLogin(), id);
                                    giveBack();
                                    // Only the password's holder learns that the
                                    // account exists and is disabled (docs/admin.md).
                                    if (credentials.disabled)
                                        return Hub::replyError(guard, accountDisabled(), id);
                                    startSession(hub, guard, credentials.user, credentials.passwordHash, id);
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
