// LocalStore: the worker thread and the order of its jobs. The SQL is in
// local_store_sql.cpp, the schema in local_store_schema.cpp.
#include "local_store.h"
#include "local_store_sql.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlDatabase>
#include <QStandardPaths>
#include <QUuid>

namespace confab::client {

Q_LOGGING_CATEGORY(lcStore, "confab.client.store")

LocalStore::LocalStore(const QString& filePath, QObject* parent)
    : QObject(parent)
    , m_path(filePath)
    , m_connection(QStringLiteral("confab-store-") + QUuid::createUuid().toString(QUuid::Id128))
    , m_worker(new QObject)
{
    qRegisterMetaType<confab::client::LocalStore::Snapshot>();
    m_thread.setObjectName(QStringLiteral("confab-store"));
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread.start();
    post([this, path = m_path](const QString& connection) {
        QString error;
        if (store_sql::open(path, connection, &error))
            return;
        qCWarning(lcStore, "%s: %s; unsent messages and drafts are kept in memory only", qPrintable(path),
                  qPrintable(error));
        QSqlDatabase::removeDatabase(connection);
        QMetaObject::invokeMethod(
            this, [this, error] { emit unavailable(error); }, Qt::QueuedConnection);
    });
}

LocalStore::~LocalStore()
{
    // The last job: everything posted before it has run when it does.
    post([](const QString& connection) {
        QSqlDatabase::removeDatabase(connection);
        QThread::currentThread()->quit();
    });
    m_thread.wait();
}

QString LocalStore::pathFor(const QString& profile)
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return QDir(base).filePath(QStringLiteral("profiles/%1/store.sqlite").arg(profile));
}

void LocalStore::post(std::function<void(const QString& connection)> job)
{
    QMetaObject::invokeMethod(
        m_worker, [connection = m_connection, job = std::move(job)] { job(connection); },
        Qt::QueuedConnection);
}

void LocalStore::write(std::function<void(QSqlDatabase db)> job)
{
    // After a failed open there is no connection: writes do nothing.
    post([job = std::move(job)](const QString& connection) {
        if (QSqlDatabase::contains(connection))
            job(QSqlDatabase::database(connection));
    });
}

void LocalStore::sync()
{
    QMetaObject::invokeMethod(
        m_worker, [] {}, Qt::BlockingQueuedConnection);
}

void LocalStore::load()
{
    post([this](const QString& connection) {
        if (!QSqlDatabase::contains(connection))
            return;
        Snapshot snapshot = store_sql::load(QSqlDatabase::database(connection));
        QMetaObject::invokeMethod(
            this, [this, snapshot = std::move(snapshot)] { emit loaded(snapshot); }, Qt::QueuedConnection);
    });
}

void LocalStore::setOwner(const QUrl& server, const User& user)
{
    write([=](QSqlDatabase db) { store_sql::setOwner(db, server, user); });
}

void LocalStore::wipe()
{
    write([=](QSqlDatabase db) { store_sql::wipe(db); });
}

void LocalStore::addSend(const Outbox::Item& item)
{
    write([=](QSqlDatabase db) { store_sql::addSend(db, item); });
}

void LocalStore::requeueSend(const QString& tempId)
{
    write([=](QSqlDatabase db) { store_sql::requeueSend(db, tempId); });
}

void LocalStore::setSendFiles(const QString& tempId, const QList<OutgoingFile>& files)
{
    write([=](QSqlDatabase db) { store_sql::setSendFiles(db, tempId, files); });
}

void LocalStore::setSendFailed(const QString& tempId)
{
    write([=](QSqlDatabase db) { store_sql::setSendFailed(db, tempId); });
}

void LocalStore::removeSend(const QString& tempId)
{
    write([=](QSqlDatabase db) { store_sql::removeSend(db, tempId); });
}

void LocalStore::removeRoom(Id roomId)
{
    write([=](QSqlDatabase db) { store_sql::removeRoom(db, roomId); });
}

void LocalStore::setDraft(Id roomId, const QString& text)
{
    write([=](QSqlDatabase db) { store_sql::setDraft(db, roomId, text); });
}

void LocalStore::setReadMarker(Id roomId, Id messageId)
{
    write([=](QSqlDatabase db) { store_sql::setReadMarker(db, roomId, messageId); });
}

void LocalStore::clearReadMarker(Id roomId, Id upToMessageId)
{
    write([=](QSqlDatabase db) { store_sql::clearReadMarker(db, roomId, upToMessageId); });
}

void LocalStore::cacheRooms(const QList<Room>& rooms)
{
    write([=](QSqlDatabase db) { store_sql::cacheRooms(db, rooms); });
}

void LocalStore::cachePage(Id roomId, const QList<Message>& newest)
{
    write([=](QSqlDatabase db) { store_sql::cachePage(db, roomId, newest); });
}

} // namespace confab::client
