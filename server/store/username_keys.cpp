#include "store/username_keys.h"

#include "protocol/validation.h"
#include "store/sql_util.h"
#include "store/store_log.h"

#include <QList>

namespace confab::server::sql {

namespace {

struct NameRow {
    qint64 id = 0;
    QString username;
    QString fold;
};

// One pass over the table in id order; counts the rows changed and the rows
// left as they were because their key was taken.
Result<void> renormalizePass(const QSqlDatabase& db, int* changed, int* collided)
{
    constexpr int kPage = 1'000;
    qint64 after = 0;
    for (;;) {
        QList<NameRow> page;
        {
            auto rows = exec(db,
                             QStringLiteral("SELECT id, username, username_fold FROM users WHERE id > :after "
                                            "ORDER BY id LIMIT :limit"),
                             {{":after", after}, {":limit", kPage}}, "reading usernames to normalise");
            if (!rows)
                return rows.error();
            while (rows->next())
                page.append(
                    {rows->value(0).toLongLong(), rows->value(1).toString(), rows->value(2).toString()});
        }
        if (page.isEmpty())
            return {};
        after = page.constLast().id;
        for (const NameRow& row : std::as_const(page)) {
            const QString name = validation::normalizeUsername(row.username);
            const QString key = validation::usernameKey(name);
            if (name == row.username && key == row.fold)
                continue;
            if (key != row.fold) {
                auto holder = exec(db, QStringLiteral("SELECT id FROM users WHERE username_fold = :key"),
                                   {{":key", key}}, "looking up a normalised username");
                if (!holder)
                    return holder.error();
                if (holder->next()) {
                    qCWarning(lcSqlStore).noquote()
                        << "usernames: account" << row.id << QStringLiteral("(\"%1\")").arg(row.username)
                        << "reads as the same name as account" << holder->value(0).toLongLong()
                        << "and keeps its old key: it cannot log in by name until renamed or removed";
                    ++*collided;
                    continue;
                }
            }
            auto updated = exec(db,
                                QStringLiteral("UPDATE users SET username = :name, username_fold = :key "
                                               "WHERE id = :id"),
                                {{":name", name}, {":key", key}, {":id", row.id}}, "normalising a username");
            if (!updated)
                return updated.error();
            ++*changed;
        }
    }
}

} // namespace

Result<void> renormalizeUsernames(const QSqlDatabase& db)
{
    // A row may wait for a key that a later row gives up in the same pass:
    // passes repeat while they make progress (twice in practice).
    int total = 0;
    for (int pass = 0; pass < 8; ++pass) {
        int changed = 0;
        int collided = 0;
        if (Result<void> ran = renormalizePass(db, &changed, &collided); !ran)
            return ran;
        total += changed;
        if (changed == 0 || collided == 0)
            break;
    }
    if (total > 0)
        qCInfo(lcSqlStore) << "usernames: normalised" << total << "account name(s) to NFC keys";
    return {};
}

} // namespace confab::server::sql
