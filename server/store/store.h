#pragma once

#include "protocol/attention.h"
#include "protocol/avatars.h"
#include "protocol/files.h"
#include "protocol/group_types.h"
#include "protocol/result.h"
#include "protocol/types.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

#include <memory>
#include <optional>

// The server's persistence, behind one interface with one class per backend
// (SqliteStore now; PostgreSQL later). A Store is created, opened and used on a
// single thread (the store thread, see StoreExecutor): QSqlDatabase connections
// belong to the thread that made them. Every method is synchronous, runs its
// writes in one RAII transaction and returns errors as values.
namespace confab::server {

struct Credentials {
    User user;
    QByteArray passwordHash; // libsodium crypto_pwhash_str output
    bool disabled = false;
};

struct DmRoom {
    Room room;            // as seen by the user who opened it
    bool created = false; // true the first time the pair opens it
};

// One room's member list, for the server's in-memory membership map.
struct RoomMembership {
    Id roomId = 0;
    RoomType type = RoomType::Group;
    QList<Id> memberIds;
};

struct NewMessage {
    Id roomId = 0;
    Id senderId = 0;
    QString content;
    QString tempId;
    QList<Mention> mentions; // unverified, as the client sent them
    std::optional<Id> replyTo;
    qint64 createdAt = 0;
    // Files (issue 16): uploads of the sender to this room that the message
    // claims, all or nothing (not_found "no such file" otherwise).
    QList<AttachmentRef> attachments;
};

struct InsertedMessage {
    Message message;            // the stored message (the first one when duplicate)
    bool duplicate = false;     // (sender, tempId) existed: nothing was stored
    QList<Id> mentionedUserIds; // distinct, verified, sender excluded; empty when duplicate
};

// Files (issue 16): a new upload as upload_file asks for it, checked by the
// store against membership and the uploader's quota before anything is stored.
struct NewUpload {
    Id userId = 0;
    Id roomId = 0;
    FileInfo declared; // id 0
    qint64 quotaBytes = 0;
    qint64 now = 0;
};

// An upload of its uploader: how many bytes are held, and whether they are
// all there and verified.
struct UploadState {
    FileInfo file;
    qint64 received = 0;
    bool finished = false;
};

// An upload chunk stored: the bytes now held, of `size`.
struct ChunkAppended {
    qint64 received = 0;
    qint64 size = 0;
};

// edit_message as the store applies it (contract, second part).
struct MessageEdit {
    Id messageId = 0;
    Id userId = 0; // who asks: must be the sender
    QString content;
    QList<Mention> mentions; // unverified, as the client sent them
    qint64 now = 0;
    qint64 windowMs = 0; // the edit window (--edit-window-s)
};

// The outcome of an edit or a delete: the whole message as it now is.
struct ChangedMessage {
    Message message;
    bool changed = true;             // false: a repeated delete; nothing was stored or recorded
    QList<Id> newlyMentionedUserIds; // an edit: verified, sender excluded, not mentioned before
};

// The outcome of a react: `changed` false when the reaction was already
// on (or off): nothing stored, nothing to deliver.
struct ReactionChange {
    bool changed = false;
    Id roomId = 0;
    qint64 revision = 0; // the message's revision now
};

// A committed change that other server instances sharing the database must
// hear about (PostgreSQL cluster mode, docs/cluster.md). SqlStore records one
// in the same transaction as the change, so a committed change is never lost
// to the other instances; SQLite (one instance) records nothing.
struct ChangeRecord {
    enum class Kind {
        Message,    // roomId, userId = sender, messageId; userIds = mentioned users
        Read,       // roomId, userId = reader, messageId = the marker now in force
        Room,       // roomId, userId = who created the group or opened the DM
        MemberLeft, // roomId, userId = who left
        // Recorded by admin commands (docs/admin.md), which name themselves
        // as the origin; on both backends, so that running servers close the
        // user's connections at once.
        UserDisabled,       // userId; all the user's tokens are revoked
        CredentialsChanged, // userId = whose password was reset; tokens revoked
        // The message lifecycle (contract, second part):
        MessageUpdated, // roomId, userId = who edited or deleted, messageId; userIds = newly mentioned
        Reaction,       // roomId, userId = who reacted, messageId, emoji, on, revision
        // Attention (contract, second part). Read above also carries `on`:
        // the marker moved forward and its user shows receipts (a `receipt`).
        RoomSettings,    // roomId, userId, emoji = the notify level's name
        UserUpdated,     // userId; on = a field others see changed; user = the own copy
        PasswordChanged, // userId, emoji = hex SHA-256 of the one token kept; the others revoked
        // Groups (contract, second part). MemberLeft above also carries `on`
        // (the user was removed) and userIds = {who removed them}.
        MemberJoined, // roomId, userId = who added (or joined), userIds = the added; room, membership
        RoomUpdated,  // roomId, userId = who changed it (roles, owner, name, topic, visibility)
        PinsChanged,  // roomId, userId = who, messageId, on = pinned
    };
    ChangeRecord() = default;
    ChangeRecord(Kind what, Id inRoom, Id byUser, Id ofMessage = 0, QList<Id> users = {})
        : kind(what)
        , roomId(inRoom)
        , userId(byUser)
        , messageId(ofMessage)
        , userIds(std::move(users))
    {}

    Kind kind = Kind::Message;
    Id roomId = 0;
    Id userId = 0;
    Id messageId = 0;
    QList<Id> userIds;
    QString emoji;       // Reaction
    bool on = false;     // Reaction
    qint64 revision = 0; // Reaction: the message's revision after it
    // What delivering the change needs, as committed (Message, MessageUpdated:
    // the whole message; Room: the new room, the same for every member; Room,
    // MemberLeft: the membership now). Filled in by the store that committed
    // it; for another instance's change, by the bus that read it (the
    // message as it is when read, so possibly a later revision).
    std::optional<Message> message;
    std::optional<Room> room;
    std::optional<User> user; // UserUpdated: the user's own copy (with sendReceipts)
    std::optional<RoomMembership> membership;
    // The client connection (Connection::serial()) whose request made the
    // change, 0 when none or another instance's: it had its reply already.
    quint64 requester = 0;
};

// An account as an administrator sees it (confab-server admin list-users).
// `online` is unknown here: presence lives in the running servers' memory.
struct UserAccount {
    User user;
    bool disabled = false;
    qint64 disabledAt = 0; // 0 when enabled
    qint64 createdAt = 0;
};

// A room as an administrator sees it (confab-server admin list-rooms).
struct RoomSummary {
    Id id = 0;
    RoomType type = RoomType::Group;
    QString name; // empty for DMs
    int memberCount = 0;
    qint64 messageCount = 0;
    qint64 lastActivityAt = 0; // the newest message, else the room's creation
};

// An invite code for --registration invite. The code itself is never
// stored: only its SHA-256, and its first characters to tell codes apart.
struct Invite {
    Id id = 0;
    QString hint;
    int maxUses = 1;
    int uses = 0;
    std::optional<qint64> expiresAt; // never when absent
    bool revoked = false;
    qint64 createdAt = 0;
};

// One row of the change log (cluster_events): a committed change as the
// other server instances sharing the database (and, for admin commands, a
// single SQLite server) read it.
struct LoggedChange {
    qint64 eventId = 0;
    QString origin; // the instance (or "admin-...") that committed it
    ChangeRecord change;
};

// update_room as the store applies it: each field set is changed.
struct RoomUpdate {
    Id roomId = 0;
    Id userId = 0; // who asks: the owner or an admin
    std::optional<QString> name;
    std::optional<QString> topic;
    std::optional<RoomVisibility> visibility;
    qint64 now = 0;
};

// join_room as the store applies it: the room as the user now sees it, and
// whether the user was made a member (false: a member already).
struct JoinedRoom {
    Room room;
    bool joined = false;
};

// set_profile as the store applies it: each field set is changed.
struct ProfileChange {
    std::optional<QString> displayName;
    std::optional<QString> statusText;
    std::optional<UserStatus> status;
    std::optional<bool> sendReceipts;
};

// A user whose status is not the default ("available", no text), for the
// presence events the server sends (Hub keeps them in memory).
struct StatusEntry {
    Id userId = 0;
    UserStatus status = UserStatus::Available;
    QString statusText;
};

struct MessagePage {
    QList<Message> messages;
    bool hasMore = false;
};

struct SearchPage {
    QList<Message> messages; // newest first
    bool hasMore = false;
    std::optional<Id> nextBeforeId;
};

class Store {
public:
    virtual ~Store() = default;

    // Connects and migrates to the newest schema. Refuses a database whose
    // schema is newer than this build knows.
    virtual Result<void> open() = 0;
    virtual void close() = 0;
    virtual Result<int> schemaVersion() = 0;
    // Called before every job: ok when the connection is usable, else an
    // attempt to reconnect (paced by a backoff) and `unavailable` while the
    // database stays away. Jobs are never run against a dead connection.
    virtual Result<void> ensureConnected() = 0;
    // Called after a job failed: true when the failure was the connection
    // (the job's error is then reported as `unavailable`).
    virtual bool connectionLost() = 0;
    // A second store on the same database for read-only jobs on another
    // thread (StoreExecutor's reader). open() it on that thread: it connects
    // and configures like this one but never migrates, and the database
    // refuses its writes. nullptr when the backend has none (reads then run
    // on the writer). Call before this store is used concurrently.
    virtual std::shared_ptr<Store> makeReader() const { return nullptr; }
    // Files (issue 16): a second writing connection to the same database for
    // upload chunks, so that they neither queue behind nor hold up the chat
    // writer's queue (StoreExecutor's file lane). nullptr: none; file jobs
    // then run on the writer.
    virtual std::shared_ptr<Store> makeFileWriter() const { return nullptr; }
    // Issue 17: a connection of its own that keeps the database's log short
    // (SQLite: checkpoints the WAL off the writer's thread, with
    // upkeep), after stopAutoCheckpoints() on every writing connection.
    // nullptr when the backend needs none.
    virtual std::shared_ptr<Store> makeCheckpointer() const { return nullptr; }
    virtual Result<void> stopAutoCheckpoints() { return {}; }
    // Work kept off the jobs' path, run by the store thread between jobs
    // every upkeepIntervalMs() (0: none) on the connection it belongs to:
    // SQLite's writer catches the search index up with the messages, its
    // checkpointer checkpoints. True when more is pending at once.
    virtual int upkeepIntervalMs() const { return 0; }
    // How long a lone insert may wait for others to share its commit while
    // messages keep coming (StoreLane::setCommitDelay()); 0: never.
    virtual int commitDelayUs() const { return 0; }
    virtual bool runUpkeep() { return false; }
    // Names this server instance in the changes it records for the others
    // of a cluster (ChangeRecord); until set, none are recorded.
    virtual void setChangeOrigin(const QString& origin) = 0;

    // --- users
    // conflict when the username is taken (case-insensitively).
    virtual Result<User> createUser(const QString& username, const QString& displayName,
                                    const QByteArray& passwordHash, qint64 now) = 0;
    // not_found when no such user (case-insensitive lookup).
    virtual Result<Credentials> credentialsByUsername(const QString& username) = 0;
    virtual Result<User> userById(Id userId) = 0;
    virtual Result<void> setLastSeen(Id userId, qint64 at) = 0;
    // Many users' last-seen times in one transaction (one durable commit for
    // a burst of sign-ins); users that no longer exist are skipped.
    virtual Result<void> setLastSeen(const QList<QPair<Id, qint64>>& seen) = 0;
    // Case-insensitive prefix match on username or display name, ordered by
    // username; with roomId, members of that room only.
    virtual Result<QList<User>> searchUsers(const QString& query, std::optional<Id> roomId, int limit) = 0;

    // --- administration (confab-server admin, docs/admin.md)
    virtual Result<QList<UserAccount>> listAccounts() = 0;
    // Disabling sets disabled_at, revokes every token of the user and records
    // ChangeRecord::UserDisabled; enabling clears the flag. not_found when no
    // such user.
    virtual Result<void> setUserDisabled(Id userId, bool disabled, qint64 now) = 0;
    // A new password hash; revokes every token of the user and records
    // ChangeRecord::CredentialsChanged. not_found when no such user.
    virtual Result<void> setPasswordHash(Id userId, const QByteArray& passwordHash) = 0;
    virtual Result<QList<RoomSummary>> listRoomSummaries() = 0;
    // conflict when the code's hash exists (a random code: practically never).
    virtual Result<Invite> createInvite(const QByteArray& codeHash, const QString& hint, int maxUses,
                                        std::optional<qint64> expiresAt, qint64 now) = 0;
    virtual Result<QList<Invite>> listInvites() = 0;
    // not_found when no invite has this code.
    virtual Result<void> revokeInvite(const QByteArray& codeHash) = 0;
    // createUser() and one use of the invite, in one transaction: forbidden
    // (saying why) when the invite is unknown, revoked, expired or used up;
    // conflict when the username is taken (the invite is then not used).
    virtual Result<User> createInvitedUser(const QString& username, const QString& displayName,
                                           const QByteArray& passwordHash, const QByteArray& inviteHash,
                                           qint64 now) = 0;

    // --- sessions: only the SHA-256 of a token is ever stored.
    virtual Result<void> insertToken(const QByteArray& tokenHash, Id userId, qint64 createdAt,
                                     qint64 expiresAt) = 0;
    // invalid_credentials when unknown, expired or revoked.
    virtual Result<User> userForToken(const QByteArray& tokenHash, qint64 now) = 0;
    virtual Result<void> revokeToken(const QByteArray& tokenHash) = 0;

    // --- signing in safely (issue 12)
    // Stores a session token for a login or registration whose password was
    // checked against `verifiedPasswordHash`, only if in the same transaction
    // the user is still enabled and still has exactly that hash: a password
    // reset or a disable that commits while the hash was being checked wins
    // (and one that commits after this revokes the token it stored).
    // invalid_credentials "invalid username or password" when the hash
    // changed or the user is gone; forbidden "account disabled".
    virtual Result<void> issueToken(const QByteArray& tokenHash, Id userId,
                                    const QByteArray& verifiedPasswordHash, qint64 createdAt,
                                    qint64 expiresAt) = 0;
    // Deletes up to `limit` tokens that expired at or before `now` and up to
    // `limit` revoked ones (both are refused already); how many it deleted.
    virtual Result<int> pruneTokens(qint64 now, int limit) = 0;
    // What register would be refused for, checked before its password is
    // hashed: with an invite hash, forbidden when the invite is unknown,
    // revoked, expired or used up (createInvitedUser's messages); conflict
    // when the username is taken. Read-only: createUser/createInvitedUser
    // still decide atomically.
    virtual Result<void> checkRegistration(const QString& username, const QByteArray& inviteHash,
                                           qint64 now) = 0;

    // --- rooms. Room values carry counts and lastMessage for the given user;
    // members' `online` is always false here (the server knows who is online).
    // not_found when a member id does not exist. The owner is always a member.
    virtual Result<Room> createGroup(const QString& name, Id ownerId, const QList<Id>& memberIds, qint64 now,
                                     const QString& topic = {},
                                     RoomVisibility visibility = RoomVisibility::Private) = 0;
    // not_found when otherUserId does not exist. Same room for (a,b) and (b,a).
    virtual Result<DmRoom> openDm(Id userId, Id otherUserId, qint64 now) = 0;
    // forbidden for DMs and for non-members. When the owner leaves, the
    // ownership passes to the admin who has held the role longest, else to
    // the member who joined earliest (a system message and RoomUpdated).
    virtual Result<void> leaveRoom(Id roomId, Id userId) = 0;
    // The user's rooms, most recent activity first.
    virtual Result<QList<Room>> roomsForUser(Id userId) = 0;
    // forbidden when the room does not exist or the user is not a member.
    virtual Result<Room> roomForUser(Id roomId, Id userId) = 0;
    virtual Result<QList<RoomMembership>> memberships() = 0;

    // --- messages
    // Stores a message durably (the transaction has committed when this
    // returns). Keeps only mentions whose user is a member of the room and whose
    // span is exactly '@' + username. forbidden when the sender is not a
    // member; not_found when replyTo is not a message of the room. A repeated
    // (senderId, tempId) stores nothing and returns the first message.
    virtual Result<InsertedMessage> insertMessage(const NewMessage& message) = 0;
    // Group commit: stores each message as insertMessage() would, all in one
    // transaction with one durable commit. One that fails (forbidden,
    // not_found, a failed statement, which is then isolated by a savepoint per
    // message) fails alone and the others commit; a (senderId, tempId) repeated inside
    // the batch resolves to the first. One result per message, in order. When
    // the transaction cannot begin or commit, every result is that error and
    // nothing of the batch was stored.
    virtual QList<Result<InsertedMessage>> insertMessages(const QList<NewMessage>& messages) = 0;
    // Ascending by id. Without before/after: the newest page.
    virtual Result<MessagePage> fetchMessages(Id roomId, std::optional<Id> beforeId,
                                              std::optional<Id> afterId, int limit) = 0;
    // Moves the user's read marker forward to messageId (never back) and
    // returns the marker now in force. not_found when the message is not in the room.
    virtual Result<Id> markRead(Id roomId, Id userId, Id messageId) = 0;
    // Messages that mention the user, in rooms the user is a member of, newest first.
    virtual Result<MessagePage> listMentions(Id userId, std::optional<Id> beforeId, int limit) = 0;
    // Case-insensitive substring search over the user's rooms (or one room),
    // newest first. Any script, queries of one character included.
    virtual Result<SearchPage> searchMessages(Id userId, const QString& query, std::optional<Id> roomId,
                                              std::optional<Id> beforeId, int limit) = 0;

    // --- the message lifecycle (contract, second part; sql_store_lifecycle.cpp).
    // Each checks, in its transaction: not_found "no such message" for a
    // message that does not exist or whose room the user is not a member of
    // (the same answer); forbidden for the rest, saying why.
    // An edit: only the sender, within edit.windowMs of createdAt, never a
    // deleted message. Mentions are verified as insertMessage() does; the
    // mention rows, the search text and the revision follow the new content.
    virtual Result<ChangedMessage> editMessage(const MessageEdit& edit) = 0;
    // A delete: the sender within windowMs, or the room's owner at any time.
    // Content, mentions, reactions and the search row are erased; the row
    // stays as a placeholder. Deleting a deleted message changes nothing.
    virtual Result<ChangedMessage> deleteMessage(Id messageId, Id userId, qint64 now, qint64 windowMs) = 0;
    // Turns the user's reaction on or off. forbidden on a deleted message;
    // too_large for a new emoji beyond limits::kMaxDistinctReactions.
    virtual Result<ReactionChange> react(Id messageId, Id userId, const QString& emoji, bool on,
                                         qint64 now) = 0;
    // The room's messages whose revision is above afterRevision, ascending
    // by revision, at most `limit` (and the page byte budget); membership is
    // the caller's to check.
    virtual Result<MessagePage> fetchChanges(Id roomId, qint64 afterRevision, int limit) = 0;

    // --- attention (contract, second part; sql_store_attention.cpp). Users
    // from the store carry status and statusText; sendReceipts only in the
    // user's own copies (createUser, credentials*, userForToken, updateProfile).
    // The user's notify level for a room; forbidden noSuchRoom for a
    // non-member. Records RoomSettings when the level changed.
    virtual Result<void> setRoomNotify(Id roomId, Id userId, NotifyLevel notify) = 0;
    // The read markers of the room's members who show receipts, by user id;
    // forbidden (as for a missing room) when userId is not a member.
    virtual Result<QList<ReceiptMarker>> receipts(Id roomId, Id userId) = 0;
    // Applies the fields set; the user's own copy as it now is. Records
    // UserUpdated when anything changed. not_found when no such user.
    virtual Result<User> updateProfile(Id userId, const ProfileChange& change) = 0;
    virtual Result<Credentials> credentialsById(Id userId) = 0;
    // A new password hash, only if the user still has `verifiedHash` (else
    // invalid_credentials: it changed meanwhile); revokes every token of the
    // user but `keepTokenHash` and records PasswordChanged.
    virtual Result<void> changePassword(Id userId, const QByteArray& verifiedHash, const QByteArray& newHash,
                                        const QByteArray& keepTokenHash) = 0;
    // Every user whose status or status text is not the default.
    virtual Result<QList<StatusEntry>> userStatuses() = 0;

    // --- avatars (issue 15; sql_store_avatars.cpp). Images are stored once
    // per content (id = SHA-256 hex), shared by every user who set the same
    // bytes, and deleted when no user refers to them any more. The caller
    // has checked the type and size (SetAvatarRequest). Sets (or, with
    // nullopt, clears) the user's avatar; the own copy as it now is. Records
    // UserUpdated (seen by others) when it changed. not_found when no such user.
    virtual Result<User> setAvatar(Id userId, const std::optional<AvatarReply>& image) = 0;
    // not_found when no user's avatar has that id.
    virtual Result<AvatarReply> avatarById(const QString& avatarId) = 0;

    // --- files (issue 16; sql_store_files.cpp). Bytes are stored as chunk
    // rows as they come and never decoded. Errors name no file: the caller
    // adds fileId. A file nobody may see is not_found "no such file"
    // (uploads: "no such upload"), whether it exists or not.
    // A new upload: forbidden (not a member), too_large (quota) before
    // anything is stored.
    virtual Result<UploadState> createUpload(const NewUpload& upload) = 0;
    // An unfinished, or finished and unattached, upload of the user.
    virtual Result<UploadState> uploadState(Id userId, Id fileId) = 0;
    // Appends the bytes at `offset` when that is exactly what is held, in one
    // transaction; the bytes now held. bad_request "expected offset N" (with
    // Error::offset) or past the size; not_found for a finished or foreign one.
    virtual Result<ChunkAppended> appendFileChunk(Id userId, Id fileId, qint64 offset, const QByteArray& data,
                                                  qint64 now) = 0;
    // Once every byte is held: whether the SHA-256 of the stored bytes is the
    // declared one, hashed a few chunks at a time. Reads only, so it runs on
    // the reader thread, off the chat writer's path.
    virtual Result<bool> hashMatches(Id userId, Id fileId) = 0;
    // Then marks the upload finished, or (matches false) deletes it and
    // answers bad_request "sha256 does not match the bytes received".
    virtual Result<FileInfo> completeUpload(Id userId, Id fileId, bool matches, qint64 now) = 0;
    // Both on one thread (tests, tools).
    Result<FileInfo> finishUpload(Id userId, Id fileId, qint64 now)
    {
        Result<bool> matches = hashMatches(userId, fileId);
        if (!matches)
            return matches.error();
        return completeUpload(userId, fileId, matches.value(), now);
    }
    // Deletes an unfinished, or finished and unattached, upload of the user.
    virtual Result<void> cancelUpload(Id userId, Id fileId) = 0;
    // A finished file the user may download (an attachment or thumbnail of a
    // room the user is in, or the user's own unattached upload).
    virtual Result<FileInfo> downloadableFile(Id userId, Id fileId) = 0;
    // Bytes from `offset` to the end of the stored chunk that holds it,
    // access checked again (not_found once it is gone or forbidden).
    virtual Result<QByteArray> fileBytes(Id userId, Id fileId, qint64 offset) = 0;
    // Deletes up to `limit` uploads not claimed by a message and idle since
    // before `staleBefore`; how many.
    virtual Result<int> pruneUploads(qint64 staleBefore, int limit) = 0;

    // --- groups (contract, second part: "Groups"; sql_store_groups.cpp). Each
    // change checks the rules in its transaction, stores a system message
    // (kind system: never unread, mentioned or searchable, never edited)
    // and records its changes; a change that changes nothing stores and
    // records nothing. A room the user is not a member of gets the answer
    // of a missing room (noSuchRoom); a DM has no roles (forbidden).
    // Owner and admins; users already members are skipped. The room as the
    // adder sees it. not_found for an unknown user; too_large past
    // limits::kMaxRoomMembers. Added users' read markers start at the
    // newest message, so the history is not unread.
    virtual Result<Room> addMembers(Id roomId, Id actorId, const QList<Id>& userIds, qint64 now) = 0;
    // The owner removes anyone else, an admin members only; not_found for a
    // user who is not a member.
    virtual Result<void> removeMember(Id roomId, Id actorId, Id userId, qint64 now) = 0;
    // Owner only; role Admin or Member, never of the owner.
    virtual Result<void> setRole(Id roomId, Id actorId, Id userId, MemberRole role, qint64 now) = 0;
    // Owner only, to a member; the old owner becomes an admin.
    virtual Result<void> transferOwnership(Id roomId, Id actorId, Id userId, qint64 now) = 0;
    // Owner and admins.
    virtual Result<void> updateRoom(const RoomUpdate& update) = 0;
    // Owner and admins in groups, either side in DMs; as the lifecycle's
    // changes for the message (not_found for a room the user is not in).
    // forbidden for a deleted or a system message; too_large past
    // limits::kMaxPinsPerRoom.
    virtual Result<void> pinMessage(Id messageId, Id userId, bool pinned, qint64 now) = 0;
    // The room's pinned messages, newest pin first.
    virtual Result<QList<Message>> listPins(Id roomId, Id userId) = 0;
    // Public groups whose case-folded name contains the folded query (""
    // matches all), by name, at most `limit`.
    virtual Result<QList<PublicRoom>> listPublicRooms(const QString& query, int limit) = 0;
    // A member: the room as is. A public group: the user becomes a member
    // (as addMembers would). Else the answer of a missing room.
    virtual Result<JoinedRoom> joinRoom(Id roomId, Id userId, qint64 now) = 0;

    // --- the change log (docs/change-path.md): the one door to cluster_events.
    // The newest row's id (0 when empty): where a reader starts.
    virtual Result<qint64> newestChangeId() = 0;
    // Rows after `afterEventId`, ascending by id, at most `limit`; and the
    // rows with the given ids (ids a reader skipped over while their
    // transactions were still open). Each comes with what delivering it
    // needs: Message and MessageUpdated the message as it is now (absent if
    // gone), Room and MemberLeft the room's membership now.
    virtual Result<QList<LoggedChange>> changesAfter(qint64 afterEventId, int limit) = 0;
    virtual Result<QList<LoggedChange>> changesWithIds(const QList<qint64>& eventIds) = 0;
    // Deletes rows created before `createdBefore` (ms since the epoch).
    virtual Result<void> pruneChanges(qint64 createdBefore) = 0;

    // --- committed changes (the one path outward, docs/change-path.md)
    // The changes committed since the last call, in commit order: every
    // write method records its change (ChangeRecord) in its transaction, and
    // a COMMIT makes them committed here; a rollback drops them. The store
    // executor takes them after each job and hands them to delivery.
    virtual QList<ChangeRecord> takeCommittedChanges() = 0;
};

} // namespace confab::server
