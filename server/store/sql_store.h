#pragma once

#include "store/change_journal.h"
#include "store/migration.h"
#include "store/store.h"
#include "store/transaction.h"

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace confab::server {
namespace sql {
class Statement;
struct Bind;
} // namespace sql

// The Store in portable SQL (SQLite 3.35+ and PostgreSQL): prepared statements
// with bound values only, INSERT ... RETURNING for new ids, ON CONFLICT for
// uniqueness. A backend subclass supplies only its dialect: how to connect,
// per-connection settings, its migration table and message search.
//
// One QSqlDatabase connection per instance, with a unique connection name,
// created by open() on the calling thread and removed by close(). Call close()
// on that thread before destroying the store elsewhere (the destructor closes
// too, which is only safe on the store thread).
class SqlStore : public Store {
public:
    ~SqlStore() override;

    Result<void> open() override;
    // Opens and migrates only up to `targetVersion` (for tests and tools that
    // need an older schema; open() is openAtVersion(latest)). A database newer
    // than the newest known version is refused in either case.
    Result<void> openAtVersion(int targetVersion);
    void close() override;
    Result<int> schemaVersion() override;
    void setChangeOrigin(const QString& origin) override { m_changeOrigin = origin; }
    Result<void> ensureConnected() override; // sql_store_connection.cpp
    bool connectionLost() override;
    std::shared_ptr<Store> makeReader() const override;
    std::shared_ptr<Store> makeFileWriter() const override;
    // The newest schema version this build knows.
    int latestSchemaVersion() const { return migrations().latestVersion(); }

    Result<User> createUser(const QString& username, const QString& displayName,
                            const QByteArray& passwordHash, qint64 now) override;
    Result<Credentials> credentialsByUsername(const QString& username) override;
    Result<User> userById(Id userId) override;
    Result<void> setLastSeen(Id userId, qint64 at) override;
    Result<void> setLastSeen(const QList<QPair<Id, qint64>>& seen) override;
    Result<QList<User>> searchUsers(const QString& query, std::optional<Id> roomId, int limit) override;

    // Administration (sql_store_admin.cpp).
    Result<QList<UserAccount>> listAccounts() override;
    Result<void> setUserDisabled(Id userId, bool disabled, qint64 now) override;
    Result<void> setPasswordHash(Id userId, const QByteArray& passwordHash) override;
    Result<QList<RoomSummary>> listRoomSummaries() override;
    Result<Invite> createInvite(const QByteArray& codeHash, const QString& hint, int maxUses,
                                std::optional<qint64> expiresAt, qint64 now) override;
    Result<QList<Invite>> listInvites() override;
    Result<void> revokeInvite(const QByteArray& codeHash) override;
    Result<User> createInvitedUser(const QString& username, const QString& displayName,
                                   const QByteArray& passwordHash, const QByteArray& inviteHash,
                                   qint64 now) override;

    Result<void> insertToken(const QByteArray& tokenHash, Id userId, qint64 createdAt,
                             qint64 expiresAt) override;
    Result<User> userForToken(const QByteArray& tokenHash, qint64 now) override;
    Result<void> revokeToken(const QByteArray& tokenHash) override;
    // Signing in safely (sql_store_sessions.cpp).
    Result<void> issueToken(const QByteArray& tokenHash, Id userId, const QByteArray& verifiedPasswordHash,
                            qint64 createdAt, qint64 expiresAt) override;
    Result<int> pruneTokens(qint64 now, int limit) override;
    Result<void> checkRegistration(const QString& username, const QByteArray& inviteHash,
                                   qint64 now) override;

    Result<Room> createGroup(const QString& name, Id ownerId, const QList<Id>& memberIds, qint64 now,
                             const QString& topic = {},
                             RoomVisibility visibility = RoomVisibility::Private) override;
    Result<DmRoom> openDm(Id userId, Id otherUserId, qint64 now) override;
    Result<void> leaveRoom(Id roomId, Id userId) override;
    Result<QList<Room>> roomsForUser(Id userId) override;
    Result<Room> roomForUser(Id roomId, Id userId) override;
    Result<QList<RoomMembership>> memberships() override;

    Result<InsertedMessage> insertMessage(const NewMessage& message) override; // sql_store_batch.cpp
    QList<Result<InsertedMessage>> insertMessages(const QList<NewMessage>& messages) override;
    Result<MessagePage> fetchMessages(Id roomId, std::optional<Id> beforeId, std::optional<Id> afterId,
                                      int limit) override;
    Result<Id> markRead(Id roomId, Id userId, Id messageId) override;
    Result<MessagePage> listMentions(Id userId, std::optional<Id> beforeId, int limit) override;

    // Message search (sql_store_search.cpp). The query is case-folded and
    // trimmed, and each message's folded text is kept in message_search.
    // - 3+ code points: the backend's text index (searchIndexed()), an exact
    //   case-insensitive substring match in any script.
    // - 1-2 code points (shorter than a trigram, so no trigram index can
    //   answer): a bounded scan of the folded text of the user's rooms, walking
    //   message ids downward from beforeId (or the newest id) in windows of ids
    //   that start at kShortQueryFirstWindowIds and double up to
    //   kShortQueryWindowIds. It stops after limit+1 matches, at id 1, or when
    //   the scan budget (kDefaultShortQueryScanBudget ids) is spent. If the
    //   budget ran out first the page says hasMore with nextBeforeId = the
    //   lowest id scanned, so a client continues exactly where the scan
    //   stopped; no message is skipped or repeated.
    //   Measured on SQLite (400k messages of ~35 characters, one statement per
    //   window): a window sorts all its matches, so a common character fills a
    //   page from the first small window in ~3 ms, where a first window of
    //   20,000 ids took ~40 ms; a rare one walks the whole budget in
    //   ~0.4-0.5 s when every scanned id is in the user's rooms (~2.4 us per
    //   id), ~0.12 s when a fifth are. PostgreSQL: docs/search.md.
    Result<SearchPage> searchMessages(Id userId, const QString& query, std::optional<Id> roomId,
                                      std::optional<Id> beforeId, int limit) override;

    // The message lifecycle (sql_store_lifecycle.cpp).
    Result<ChangedMessage> editMessage(const MessageEdit& edit) override;
    Result<ChangedMessage> deleteMessage(Id messageId, Id userId, qint64 now, qint64 windowMs) override;
    Result<ReactionChange> react(Id messageId, Id userId, const QString& emoji, bool on, qint64 now) override;
    Result<MessagePage> fetchChanges(Id roomId, qint64 afterRevision, int limit) override;
    // Attention (sql_store_attention.cpp).
    Result<void> setRoomNotify(Id roomId, Id userId, NotifyLevel notify) override;
    Result<QList<ReceiptMarker>> receipts(Id roomId, Id userId) override;
    Result<User> updateProfile(Id userId, const ProfileChange& change) override;
    Result<Credentials> credentialsById(Id userId) override;
    Result<void> changePassword(Id userId, const QByteArray& verifiedHash, const QByteArray& newHash,
                                const QByteArray& keepTokenHash) override;
    Result<QList<StatusEntry>> userStatuses() override;
    // Avatars (sql_store_avatars.cpp).
    Result<User> setAvatar(Id userId, const std::optional<AvatarReply>& image) override;
    Result<AvatarReply> avatarById(const QString& avatarId) override;
    // Files (sql_store_files.cpp).
    Result<UploadState> createUpload(const NewUpload& upload) override;
    Result<UploadState> uploadState(Id userId, Id fileId) override;
    Result<ChunkAppended> appendFileChunk(Id userId, Id fileId, qint64 offset, const QByteArray& data,
                                          qint64 now) override;
    Result<bool> hashMatches(Id userId, Id fileId) override;
    Result<FileInfo> completeUpload(Id userId, Id fileId, bool matches, qint64 now) override;
    Result<void> cancelUpload(Id userId, Id fileId) override;
    Result<FileInfo> downloadableFile(Id userId, Id fileId) override;
    Result<QByteArray> fileBytes(Id userId, Id fileId, qint64 offset) override;
    Result<int> pruneUploads(qint64 staleBefore, int limit) override;
    // Groups (sql_store_groups.cpp).
    Result<Room> addMembers(Id roomId, Id actorId, const QList<Id>& userIds, qint64 now) override;
    Result<void> removeMember(Id roomId, Id actorId, Id userId, qint64 now) override;
    Result<void> setRole(Id roomId, Id actorId, Id userId, MemberRole role, qint64 now) override;
    Result<void> transferOwnership(Id roomId, Id actorId, Id userId, qint64 now) override;
    Result<void> updateRoom(const RoomUpdate& update) override;
    Result<void> pinMessage(Id messageId, Id userId, bool pinned, qint64 now) override;
    Result<QList<Message>> listPins(Id roomId, Id userId) override;
    Result<QList<PublicRoom>> listPublicRooms(const QString& query, int limit) override;
    Result<JoinedRoom> joinRoom(Id roomId, Id userId, qint64 now) override;
    QList<ChangeRecord> takeCommittedChanges() override { return m_journal.takeCommitted(); }
    // The change log (sql_store_changes.cpp).
    Result<qint64> newestChangeId() override;
    Result<QList<LoggedChange>> changesAfter(qint64 afterEventId, int limit) override;
    Result<QList<LoggedChange>> changesWithIds(const QList<qint64>& eventIds) override;
    Result<void> pruneChanges(qint64 createdBefore) override;

    static constexpr qint64 kShortQueryFirstWindowIds = 1'000;
    static constexpr qint64 kShortQueryWindowIds = 20'000;
    static constexpr qint64 kDefaultShortQueryScanBudget = 50'000;
    // Rows of the not-yet-indexed tail one search reads at most: the index
    // is at most a few hundred milliseconds behind (about 1,300 messages at
    // 5,000/s), far more only while it catches up with a backlog.
    static constexpr int kMaxUnindexedScan = 20'000;
    // Ids a 1-2 character search may scan per call (tests set tiny budgets).
    void setShortQueryScanBudget(qint64 ids) { m_shortQueryBudget = qMax<qint64>(ids, 1); }
    qint64 shortQueryScanBudget() const { return m_shortQueryBudget; }
    // Rows of the unindexed tail one search reads (tests set tiny caps).
    void setUnindexedScanCap(int rows) { m_unindexedScanCap = qMax(rows, 1); }

protected:
    // `connectionPrefix` names the backend in the unique connection name.
    explicit SqlStore(const QString& connectionPrefix);

    // --- the dialect
    virtual QString driverName() const = 0;
    // Before QSqlDatabase::open(): database name, connect options, directories.
    virtual Result<void> configureConnection(QSqlDatabase& db) = 0;
    // After open, before migrations: per-connection settings (pragmas).
    virtual Result<void> afterConnect(const QSqlDatabase& db) = 0;
    virtual MigrationList migrations() const = 0;
    // A new, unopened store of the same dialect on the same database (makeReader()).
    virtual std::shared_ptr<SqlStore> makeSibling() const = 0;
    // The session setting that makes the database refuse writes (a reader's).
    virtual QString readOnlyStatement() const = 0;
    // The statement that adds a new message's case-folded text (bound as
    // :body) to message_search under its id (:id); insertMessages() runs it in
    // the message's transaction when the schema has message_search.
    virtual QString searchInsertStatement() const = 0;
    // The statement that removes a message's row from message_search (:id).
    virtual QString searchDeleteStatement() const = 0;
    // The statement that stores a new message and returns its id, or no row
    // when its (sender_id, temp_id) exists: binds :room, :sender, :content,
    // :mentions, :tempId, :replyTo, :createdAt, and :body (the folded text)
    // when messageInsertIndexes() says it also adds the search row, which
    // saves PostgreSQL a round trip per message.
    virtual QString messageInsertStatement() const;
    virtual bool messageInsertIndexes() const { return false; }
    // Issue 17: true when new messages are indexed later, in batches
    // (SQLite); searchIndexedThrough() then says how far, and search scans
    // the messages after it (searchUnindexed()).
    virtual bool indexesLater() const { return false; }
    virtual Result<std::optional<Id>> searchIndexedThrough() { return std::optional<Id>(); }
    // True when messageInsertStatement() takes the new revision itself
    // (PostgreSQL: nextval in the statement, saving a round trip); else
    // it binds :revision from takeRevision().
    virtual bool revisionTakenByInsert() const { return false; }
    // Called inside the transaction of every change other instances must hear
    // about, as its last statement before COMMIT: appends it to cluster_events
    // once setChangeOrigin() named this instance (sql_store_changes.cpp).
    // The second form reuses a Statement made with changeStatement() (a batch).
    Result<void> recordChange(const ChangeRecord& change);
    Result<void> recordChange(const ChangeRecord& change, sql::Statement& statement);
    static QString changeStatement();
    // Rows of cluster_events selected by `where` (binds in `binds`), read
    // with their messages and memberships (changesAfter, changesWithIds).
    Result<QList<LoggedChange>> readChangeLog(const QString& where, const QList<sql::Bind>& binds);
    // The statement that starts a write transaction.
    virtual QString beginStatement() const { return QStringLiteral("BEGIN"); }
    // Around migrations, from before the schema_version table is created to
    // after the last version is committed: a backend that several servers may
    // open at once (PostgreSQL) takes a lock here, so that they migrate one
    // after the other and the later ones find the schema current. Nothing by
    // default (SQLite: one server owns the file).
    virtual Result<void> lockSchema() { return {}; }
    virtual void unlockSchema() {}
    // How the database is named in messages and logs (never with a password).
    virtual QString databaseLabel() const { return m_db.databaseName(); }

    // --- the dialect of message search
    // The first schema version that has message_search.
    virtual int searchIndexVersion() const = 0;
    // The 3+ code point path over the backend's index; `folded` is folded and
    // trimmed, limit >= 1. searchPage() turns its rows into the page.
    virtual Result<SearchPage> searchIndexed(Id userId, const QString& folded, std::optional<Id> roomId,
                                             std::optional<Id> beforeId, int limit) = 0;
    // The messages after `through` (not yet indexed), newest first, matched
    // here: up to limit + 1 of them, from at most kMaxUnindexedScan rows.
    struct UnindexedMatches {
        QList<Message> messages;
        std::optional<Id> scannedDownTo; // the cap was reached at this id: continue below it
    };
    Result<UnindexedMatches> searchUnindexed(Id userId, const QString& folded, std::optional<Id> roomId,
                                             std::optional<Id> beforeId, int limit, Id through);
    // The page below the unindexed part, from the index (or the short scan).
    Result<SearchPage> searchBelow(Id userId, const QString& folded, std::optional<Id> roomId,
                                   std::optional<Id> beforeId, int limit);
    // What the short-query scan adds to "FROM messages m": the join of
    // message_search as `s` on m.id, and the test that s.body contains :needle.
    struct TextScan {
        QLatin1String join;
        QLatin1String contains;
    };
    virtual TextScan textScan() const = 0;
    // Up to limit+1 rows of CONFAB_SQL_MESSAGE_COLUMNS, newest first, as a
    // page: the extra row only says hasMore (nextBeforeId = the last one kept).
    static SearchPage searchPage(QSqlQuery& rows, int limit);

    const QSqlDatabase& database() const { return m_db; }
    // The schema version the open database has (after migrating).
    int openedSchemaVersion() const { return m_openedVersion; }
    Result<Transaction> beginTransaction() { return Transaction::begin(m_db, beginStatement(), &m_journal); }

    // --- the dialect of the message lifecycle
    // The first schema version with revisions and reactions (older: a test's
    // old schema, where messages carry revision 0 and no reactions).
    virtual int lifecycleVersion() const = 0;
    // A new revision, server-wide increasing, inside the caller's transaction.
    virtual Result<qint64> takeRevision() = 0;
    // Orders the lifecycle changes of one room (PostgreSQL: a transaction
    // lock, so that revisions within a room commit in the order they were
    // taken and fetch_changes never skips one; SQLite has one writer).
    virtual Result<void> lockRoomForChange(Id roomId)
    {
        Q_UNUSED(roomId);
        return {};
    }
    // Orders the transactions that add or drop references to one avatar image
    // (PostgreSQL: a transaction lock; SQLite has one writer). Without it a
    // clear could delete an image that a concurrent set had just taken up:
    // the clear's NOT EXISTS cannot see the uncommitted reference, and the
    // delete then fails on the foreign key (an `internal` for the clear).
    virtual Result<void> lockAvatar(const QString& avatarId)
    {
        Q_UNUSED(avatarId);
        return {};
    }
    // The first schema version with the attention columns (status, receipts,
    // notify levels); older: a test's old schema, where they read as defaults.
    virtual int attentionVersion() const = 0;
    bool hasAttention() const { return openedSchemaVersion() >= attentionVersion(); }
    // The first schema version with roles, topics, visibility, system
    // messages and pins; older: a test's old schema, where groups keep the
    // core contract's shape.
    virtual int groupsVersion() const = 0;
    bool hasGroups() const { return openedSchemaVersion() >= groupsVersion(); }
    // The first schema version with avatars (older: a test's old schema,
    // where users have none).
    virtual int avatarsVersion() const = 0;
    bool hasAvatars() const { return openedSchemaVersion() >= avatarsVersion(); }
    // The first schema version with files (issue 16).
    virtual int filesVersion() const = 0;
    bool hasFiles() const { return openedSchemaVersion() >= filesVersion(); }
    // Files: claims a message's attachments (all or nothing) inside the
    // caller's transaction; their file objects in order.
    Result<QList<FileInfo>> checkAttachments(const NewMessage& message);
    Result<void> claimAttachments(Id messageId, const NewMessage& message);
    // Deletes the files (and chunks) of a message inside the caller's transaction.
    Result<void> deleteMessageFiles(Id messageId);
    // Attaches `attachments` to a page of messages (attachMessageParts).
    Result<void> attachFiles(QList<Message>& messages, const QList<Id>& ids);
    // The columns sql::userFromRow() reads, and the own copy's sendReceipts
    // (one more column) for this schema.
    QString userColumns() const;
    QString ownUserColumns() const;
    // A user's own copy (with sendReceipts), in or out of a transaction.
    Result<User> ownUser(Id userId);
    // The lifecycle fields of a page of messages: revision, reactions and
    // replyPreview, read in two statements for the whole page.
    Result<void> attachMessageParts(QList<Message>& messages);
    // Up to limit+1 rows of CONFAB_SQL_MESSAGE_COLUMNS as a page, read from
    // the end next to what the client holds: the extra row, or a message past
    // the byte budget once the parts are attached, ends it with hasMore. The
    // page keeps the rows' order.
    Result<MessagePage> messagePage(QSqlQuery& rows, int limit);
    // The error for a room that does not exist or that the user is not in; the
    // two cases are deliberately identical so that room ids leak nothing.
    static Error noSuchRoomError();

    // Room values for one user: `roomId` set -> that room only (if a member).
    Result<QList<Room>> loadRooms(Id userId, std::optional<Id> roomId);

private:
    // afterConnect(), then a reader's read-only setting: on open and reconnect.
    Result<void> configureSession();
    Result<void> migrate(int targetVersion);
    Result<int> readSchemaVersion();
    Result<bool> userExists(Id userId);
    // credentialsByUsername/credentialsById: the user's own copy, hash and flag.
    Result<Credentials> credentialsWhere(const QString& where, const sql::Bind& bind);
    // The token row of insertToken() and issueToken(), in the caller's transaction.
    Result<void> insertTokenRow(const QByteArray& tokenHash, Id userId, qint64 createdAt, qint64 expiresAt);
    // The INSERT of createUser(), inside the caller's transaction.
    Result<User> insertUser(const QString& username, const QString& displayName,
                            const QByteArray& passwordHash, qint64 now);
    // One use of an invite inside the caller's transaction (createInvitedUser()).
    Result<void> useInvite(const QByteArray& inviteHash, qint64 now);
    // Why the invite cannot be used now (forbidden, saying why), or ok.
    Result<void> checkInvite(const QByteArray& inviteHash, qint64 now);
    // Revokes the user's tokens and records why (setUserDisabled, setPasswordHash).
    Result<void> revokeAllTokens(Id userId, ChangeRecord::Kind why);
    // not_found "no such user" unless every id names a user.
    Result<void> requireUsers(const QList<Id>& userIds);
    Result<bool> isMember(Id roomId, Id userId);
    // One message of insertMessages(), inside its transaction (sql_store_batch.cpp).
    struct MessageStatements;
    Result<InsertedMessage> insertOne(const NewMessage& message, MessageStatements& statements);
    Result<InsertedMessage> duplicateOf(const Message& existing);
    // One attempt at a batch; nullopt: a statement failed without savepoints
    // (rolled back; try again with them).
    std::optional<QList<Result<InsertedMessage>>> storeBatch(const QList<NewMessage>& messages,
                                                             bool savepoints);
    struct Lookup {
        std::optional<Message> existing; // (sender, tempId) is taken by this message
        bool senderIsMember = false;
    };
    Result<Lookup> lookUp(const NewMessage& message, MessageStatements& statements);
    // The spans that cover '@' + the username of a member of the room, each once.
    Result<QList<Mention>> verifiedMentions(Id roomId, const QString& content, const QList<Mention>& spans,
                                            sql::Statement& mentioned);
    // Binds :room and :user; a row with the username when the user is a member.
    static QString mentionCheckStatement()
    {
        return QStringLiteral("SELECT u.username FROM members mb JOIN users u ON u.id = mb.user_id "
                              "WHERE mb.room_id = :room AND mb.user_id = :user");
    }
    // The message (locked for a lifecycle change) and what the rules need.
    struct ChangeTarget {
        Message message;
        Id ownerId = 0;      // the room's; 0 for DMs
        bool system = false; // a system message: never edited, deleted, reacted to or pinned
    };
    Result<ChangeTarget> lockChangeTarget(Id messageId, Id userId);
    // The whole message as stored now, with its lifecycle fields.
    Result<Message> reloadMessage(Id messageId);
    Result<SearchPage> searchScanning(Id userId, const QString& folded, std::optional<Id> roomId,
                                      std::optional<Id> beforeId, int limit);

    // Groups (sql_store_groups.cpp), inside the caller's transaction.
    // Locks the room for the change (lockRoomForChange) and reads the
    // user's place in it: noSuchRoom unless a member.
    struct GroupPlace {
        RoomType type = RoomType::Group;
        MemberRole role = MemberRole::Member;
    };
    Result<GroupPlace> lockGroup(Id roomId, Id userId);
    // The user's role in the room; nullopt when not a member.
    Result<std::optional<MemberRole>> roleIn(Id roomId, Id userId);
    // Stores a system message; recordSystemMessage() records it (delivery
    // follows the order of the records).
    Result<Message> insertSystemMessage(Id roomId, const SystemInfo& info, qint64 now);
    static SystemInfo systemInfo(SystemAction action, Id actorId);
    Result<void> recordSystemMessage(const Message& message);
    // Both at once, for a change whose system message comes right away.
    Result<void> storeSystemMessage(Id roomId, const SystemInfo& info, qint64 now);
    // A MemberLeft/MemberJoined's membership as it now is in the transaction.
    Result<RoomMembership> membershipOf(Id roomId);
    // After the owner left: the next owner (longest-held admin, else the
    // earliest member), a system message and RoomUpdated; nothing when the
    // room is empty.
    Result<void> passOwnership(Id roomId, Id formerOwnerId, qint64 now);
    // A member's row (role, role_since = now; the read marker at the newest
    // message) for addMembers and joinRoom; false when already a member.
    Result<bool> insertGroupMember(Id roomId, Id userId, qint64 now);
    // The records and system message of users added (addMembers, joinRoom).
    Result<void> recordMembersAdded(Id roomId, Id actorId, const QList<Id>& added, qint64 now);

    QString m_connectionName;
    QSqlDatabase m_db;
    int m_openedVersion = 0;
    bool m_readOnly = false;          // a reader (makeReader()): neither migrates nor writes
    bool m_openedAfterWriter = false; // a reader or the file lane: the writer has migrated
    QString m_changeOrigin;
    ChangeJournal m_journal;
    qint64 m_shortQueryBudget = kDefaultShortQueryScanBudget;
    int m_unindexedScanCap = kMaxUnindexedScan;
    // Reconnection (sql_store_connection.cpp).
    bool m_lost = false;
    qint64 m_nextAttemptMs = 0; // monotonic ms
    qint64 m_backoffMs = 0;
    qint64 m_lastJobMs = 0;
};

} // namespace confab::server
