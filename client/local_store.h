#pragma once

#include "outbox.h"
#include "protocol/types.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QString>
#include <QThread>
#include <QUrl>

#include <functional>

class QSqlDatabase;

namespace confab::client {

// What the profile keeps on disk between runs, so that nothing typed is
// lost: the outbox (sends not yet acknowledged, in order, with their
// tempIds), each room's draft, read markers not yet accepted by the server,
// and a bounded cache of the room list and of each room's newest messages.
//
// One SQLite file per profile (QtSql), in the profile's data directory. All
// SQL runs on a worker thread that owns the connection (a QSqlDatabase
// belongs to the thread that opened it); the GUI thread only posts writes,
// which the worker runs in the order they were posted, and gets what was
// stored through loaded(). Commits are durable (WAL, synchronous=FULL): a
// send is on disk a few milliseconds after it was queued, even if the
// machine loses power afterwards, and the fsync never stalls the window.
//
// The data belongs to one account (server and user id, the owner). The
// client wipes it when another account signs in with the profile, and when
// the user signs out.
class LocalStore : public QObject {
    Q_OBJECT
public:
    struct Snapshot {
        QUrl server; // the owner; empty when nothing is stored
        Id userId = 0;
        User user;                  // the owner as last signed in (shown before the connection is up)
        QList<Outbox::Item> outbox; // in send order
        QHash<Id, QString> drafts;
        QHash<Id, Id> readMarkers;       // roomId -> newest message read, not yet sent
        QList<Room> rooms;               // the room list as last known
        QHash<Id, QList<Message>> pages; // roomId -> its newest messages, ascending
    };

    // The newest messages kept per room, the rooms whose messages are kept
    // (the most recently cached), and a budget for all cached message JSON.
    static constexpr int kPageSize = 50;
    static constexpr int kMaxCachedRooms = 100;
    static constexpr qint64 kMaxCachedBytes = 8 * 1024 * 1024;

    // Opens (creating and migrating) `filePath` on the worker thread. When
    // it cannot be opened, every call does nothing and unavailable() is
    // emitted: the client then works as before, in memory.
    explicit LocalStore(const QString& filePath, QObject* parent = nullptr);
    // Runs every write posted so far, then closes the file.
    ~LocalStore() override;

    // <AppDataLocation>/profiles/<profile>/store.sqlite
    static QString pathFor(const QString& profile);
    QString filePath() const { return m_path; }

    void load(); // -> loaded()

    void setOwner(const QUrl& server, const User& user);
    void wipe(); // everything, the owner too

    void addSend(const Outbox::Item& item);  // at the end of the queue
    void requeueSend(const QString& tempId); // retry: failed cleared, moved to the end
    void setSendFailed(const QString& tempId);
    // A queued send's files as their uploads progress (issue 16).
    void setSendFiles(const QString& tempId, const QList<OutgoingFile>& files);
    void removeSend(const QString& tempId);
    void removeRoom(Id roomId); // left: its sends, draft, marker and pages

    void setDraft(Id roomId, const QString& text); // empty: removes it
    void setReadMarker(Id roomId, Id messageId);
    // The server accepted a marker: forgotten unless a newer one is stored.
    void clearReadMarker(Id roomId, Id upToMessageId);

    void cacheRooms(const QList<Room>& rooms);               // replaces the cached list
    void cachePage(Id roomId, const QList<Message>& newest); // replaces the room's messages

    // Blocks until every write posted so far is done (tests; before kill -9).
    void sync();

signals:
    void loaded(const confab::client::LocalStore::Snapshot& snapshot);
    void unavailable(const QString& reason);

private:
    // Runs `job` on the worker thread, after every job posted before it.
    void post(std::function<void(const QString& connection)> job);
    // The same with the open connection; nothing when the file could not be opened.
    void write(std::function<void(QSqlDatabase db)> job);

    QString m_path;
    QString m_connection; // the worker's connection name
    QThread m_thread;
    QObject* m_worker; // lives in m_thread; jobs are invoked on it
};

} // namespace confab::client
