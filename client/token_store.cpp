#include "token_store.h"

#include <qt6keychain/keychain.h>

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>

namespace confab::client {

namespace {

Q_LOGGING_CATEGORY(lcTokenStore, "confab.client.tokenstore")

// Every job: never the plain-text fallback, and gone once finished. Jobs have
// no parent: a store destroyed mid-job just drops the result (the connection
// to it dies with the store).
template <typename Job>
Job* makeJob(const QString& service, const QString& key)
{
    auto* job = new Job(service);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    return job;
}

// Says why in the user's words; the job's own text (often a raw D-Bus error)
// goes to the log where the job failed.
QString unavailableMessage(const QKeychain::Job* job)
{
    QString why;
    switch (job->error()) {
    case QKeychain::NoBackendAvailable:
    case QKeychain::NotImplemented:
        why = QStringLiteral("no keyring is running (GNOME Keyring or KWallet). You will be asked to sign "
                             "in each time.");
        break;
    case QKeychain::AccessDeniedByUser:
        why = QStringLiteral("access to the keyring was declined.");
        break;
    case QKeychain::AccessDenied:
        why = QStringLiteral("the keyring is locked or refused access.");
        break;
    default:
        why = QStringLiteral("the keyring reported an error (see the log).");
        break;
    }
    return QStringLiteral("Your login cannot be remembered on this computer: ") + why;
}

} // namespace

TokenStore::TokenStore(const QString& profile, QObject* parent)
    : QObject(parent)
    , m_profile(profile)
{}

QString TokenStore::entryKey(const QUrl& server) const
{
    // Never user info or a query (a ?token=... must not end up in a key), and
    // "ws://host:1/" is the same server as "ws://host:1".
    QUrl normalized = server.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment |
                                      QUrl::StripTrailingSlash | QUrl::NormalizePathSegments);
    if (normalized.path() == QLatin1String("/"))
        normalized.setPath(QString());
    return QStringLiteral("profile/") + m_profile + QLatin1Char('/') +
           normalized.toString(QUrl::FullyEncoded);
}

void TokenStore::load(const QUrl& server)
{
    auto* job = makeJob<QKeychain::ReadPasswordJob>(m_service, entryKey(server));
    connect(job, &QKeychain::Job::finished, this, [this, server](QKeychain::Job* finished) {
        const auto* read = static_cast<QKeychain::ReadPasswordJob*>(finished);
        if (read->error() == QKeychain::EntryNotFound) {
            emit notFound(server);
            return;
        }
        if (read->error() != QKeychain::NoError) {
            qCWarning(lcTokenStore) << "read failed:" << read->error() << read->errorString();
            emit unavailable(unavailableMessage(read));
            return;
        }
        const QJsonObject secret = QJsonDocument::fromJson(read->binaryData()).object();
        const QString username = secret.value(QLatin1String("username")).toString();
        const QString token = secret.value(QLatin1String("token")).toString();
        if (username.isEmpty() || token.isEmpty()) {
            qCWarning(lcTokenStore) << "ignoring an unreadable keychain entry for" << entryKey(server);
            emit notFound(server);
            return;
        }
        emit loaded(server, username, token);
    });
    job->start();
}

void TokenStore::save(const QUrl& server, const QString& username, const QString& token)
{
    auto* job = makeJob<QKeychain::WritePasswordJob>(m_service, entryKey(server));
    const QJsonObject secret{{QStringLiteral("username"), username}, {QStringLiteral("token"), token}};
    job->setTextData(QString::fromUtf8(QJsonDocument(secret).toJson(QJsonDocument::Compact)));
    connect(job, &QKeychain::Job::finished, this, [this, server](QKeychain::Job* finished) {
        if (finished->error() != QKeychain::NoError) {
            qCWarning(lcTokenStore) << "write failed:" << finished->error() << finished->errorString();
            emit unavailable(unavailableMessage(finished));
            return;
        }
        emit saved(server);
    });
    job->start();
}

void TokenStore::remove(const QUrl& server)
{
    auto* job = makeJob<QKeychain::DeletePasswordJob>(m_service, entryKey(server));
    connect(job, &QKeychain::Job::finished, this, [this, server](QKeychain::Job* finished) {
        const QKeychain::Error error = finished->error();
        if (error != QKeychain::NoError && error != QKeychain::EntryNotFound) {
            qCWarning(lcTokenStore) << "delete failed:" << error << finished->errorString();
            emit unavailable(unavailableMessage(finished));
            return;
        }
        emit removed(server);
    });
    job->start();
}

} // namespace confab::client
