#pragma once

#include "protocol/result.h"
#include "protocol/types.h"

#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

#include <optional>

// Helpers shared by the SQL backends: prepared statements with bound values
// only, errors as values, and the row <-> value mapping of users and messages.
namespace confab::server::sql {

// A named placeholder (":room") and its value. Each name appears once per
// statement: drivers that emulate named placeholders handle repeats differently.
struct Bind {
    const char* name;
    QVariant value;
};

// Prepares, binds and executes one statement. On failure the driver's error
// and the statement are logged and an Internal error naming `what` is returned.
Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& statement, const QList<Bind>& binds,
                       const char* what);

// One statement prepared on first use and executed many times with new
// values, for a loop such as a batch of messages: QPSQL turns every prepare
// into PREPARE, EXECUTE and DEALLOCATE round trips, so preparing once per
// batch instead of once per row saves two round trips a row. Belongs to one
// connection (and so one thread); errors as exec().
class Statement {
public:
    Statement(const QSqlDatabase& db, QString statement, const char* what);
    // The executed query, valid until the next exec() or finish(); read its
    // rows before running another statement on the connection.
    Result<QSqlQuery*> exec(const QList<Bind>& binds);
    // Resets an executed statement (SQLite: a RETURNING statement must be
    // reset before COMMIT or ROLLBACK TO).
    void finish();

private:
    QSqlDatabase m_db;
    QString m_statement;
    const char* m_what;
    QSqlQuery m_query;
    bool m_prepared = false;
};

// The most ids one IN list holds (a page is at most 100 messages); longer
// lists are read in slices of this many.
inline constexpr int kIdListMax = 100;

// ":i0, :i1, ..." and their binds, for an IN list of at most kIdListMax ids.
struct IdList {
    QString placeholders;
    QList<Bind> binds;
};
IdList idList(const QList<Id>& ids);

// Runs one statement that takes no values without preparing it: DDL and SET,
// which PostgreSQL cannot PREPARE (QPSQL prepares every prepared query
// server-side). Errors as exec().
Result<void> execUnprepared(const QSqlDatabase& db, const QString& statement, const char* what);

// The Internal error for a failed statement (logged with the driver's text).
Error queryError(const QSqlQuery& query, const char* what);

QVariant nullableId(std::optional<Id> id);
QVariant nullableTime(std::optional<qint64> at);

// The columns userFromRow() reads, for a users table aliased "u": with
// `attention` false (a schema older than the attention columns, a test's old
// schema) the status columns are constants with their defaults, and with
// `avatars` false avatarId is "".
QString userColumns(bool attention, bool avatars);
inline constexpr int kUserColumnCount = 7;
// Another user's copy: status and statusText, never sendReceipts.
User userFromRow(const QSqlQuery& query, int first = 0);

// The columns messageFromRow() reads, for a messages table aliased "m".
#define CONFAB_SQL_MESSAGE_COLUMNS                                                                           \
    "m.id, m.room_id, m.sender_id, m.content, m.mentions_json, m.temp_id, m.reply_to, m.created_at, "        \
    "m.edited_at, m.deleted"
Message messageFromRow(const QSqlQuery& query, int first = 0);

// `text` with LIKE's wildcards (% and _) and the escape character itself
// escaped by a backslash, for a pattern used with ESCAPE '\\'.
QString likeEscaped(const QString& text);

// Fills an empty search table with the case-folded text of every message
// (folding is C++: neither SQLite's nor a locale's lower() is Unicode case
// folding). `insertStatement` binds :id and :body. Reads in batches of ids
// before writing, since a QPSQL forward-only result is lost when the same
// connection runs another statement.
Result<void> backfillSearchIndex(const QSqlDatabase& db, const QString& insertStatement);

// Sets rooms.name_fold to the case-folded name of every group (the groups
// migration: the public directory filters on it with a LIKE pattern, and
// only C++ folds Unicode). Groups are few and names short: one pass.
Result<void> backfillRoomNameFolds(const QSqlDatabase& db);

// Verified mention spans as stored in messages.mentions_json (the wire form).
QString mentionsToJson(const QList<Mention>& mentions);
QList<Mention> mentionsFromJson(const QString& json);

} // namespace confab::server::sql
