#pragma once

#include "local_store.h"

#include <QSqlDatabase>

// The SQL behind LocalStore, run on its worker thread only. Every statement
// is prepared with bound values. Private to local_store*.cpp and its test.
namespace confab::client::store_sql {

// The schema version this build writes (PRAGMA user_version).
int schemaVersion();
// Opens the file as `connection` (WAL, synchronous=FULL, a busy timeout)
// and applies the migrations it lacks, in one transaction. A file written
// by a newer build is refused (false), never downgraded.
bool open(const QString& path, const QString& connection, QString* error);

LocalStore::Snapshot load(QSqlDatabase db);
void setOwner(QSqlDatabase db, const QUrl& server, const User& user);
void wipe(QSqlDatabase db);

void addSend(QSqlDatabase db, const Outbox::Item& item);
void requeueSend(QSqlDatabase db, const QString& tempId);
void setSendFailed(QSqlDatabase db, const QString& tempId);
void setSendFiles(QSqlDatabase db, const QString& tempId, const QList<OutgoingFile>& files);
void removeSend(QSqlDatabase db, const QString& tempId);
void removeRoom(QSqlDatabase db, Id roomId);

void setDraft(QSqlDatabase db, Id roomId, const QString& text);
void setReadMarker(QSqlDatabase db, Id roomId, Id messageId);
void clearReadMarker(QSqlDatabase db, Id roomId, Id upToMessageId);

void cacheRooms(QSqlDatabase db, const QList<Room>& rooms);
void cachePage(QSqlDatabase db, Id roomId, const QList<Message>& newest);

} // namespace confab::client::store_sql
