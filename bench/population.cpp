#include "population.h"

#include "password_hasher.h"
#include "store/sqlite_store.h"
#include "sync_client.h"

#include <QDateTime>
#include <QJsonArray>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <deque>

namespace confab::bench {
namespace {

using server::SqliteStore;

// A stored hash no password matches: seeded users only ever sign in by token.
const QByteArray kNoPassword = QByteArrayLiteral("$bench$seeded-user-token-only");

QString newToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    return QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

// The store's own connection, made asynchronous: seeding is set-up, and one
// fsync per row would make a 10^6-message store take an hour.
void relaxDurability()
{
    for (const QString& name : QSqlDatabase::connectionNames()) {
        QSqlDatabase db = QSqlDatabase::database(name, false);
        if (db.isOpen() && db.driverName() == QLatin1String("QSQLITE"))
            QSqlQuery(db).exec(QStringLiteral("PRAGMA synchronous = OFF"));
    }
}

Result<std::unique_ptr<SqliteStore>> openStore(const QString& path)
{
    auto store = std::make_unique<SqliteStore>(path);
    if (auto opened = store->open(); !opened)
        return opened.error();
    relaxDurability();
    return store;
}

QString userName(const QString& nonce, int i)
{
    return QStringLiteral("b%1_%2").arg(nonce).arg(i);
}

} // namespace

QString runNonce()
{
    static const QString nonce = [] {
        const char* letters = "abcdefghijklmnopqrstuvwxyz";
        QString s;
        for (int i = 0; i < 4; ++i)
            s += QLatin1Char(letters[QRandomGenerator::global()->bounded(26)]);
        return s;
    }();
    return nonce;
}

Result<Population> seedPopulation(const QString& sqlitePath, const PopulationSpec& spec)
{
    auto store = openStore(sqlitePath);
    if (!store)
        return store.error();
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 expires = now + qint64(30) * 24 * 3600 * 1000;
    Population pop;
    pop.users.reserve(spec.users);
    for (int i = 0; i < spec.users; ++i) {
        const QString name = userName(runNonce(), i);
        auto user = (*store)->createUser(name, name, kNoPassword, now);
        if (!user)
            return user.error();
        BenchUser u{user->id, newToken()};
        if (auto stored = (*store)->insertToken(server::tokenHash(u.token), u.id, now, expires); !stored)
            return stored.error();
        pop.users.append(u);
    }
    for (int g = 0; g < spec.groups.size(); ++g) {
        const QList<int>& members = spec.groups.at(g);
        QList<Id> ids;
        for (int m : members)
            ids.append(pop.users.at(m).id);
        auto room =
            (*store)->createGroup(QStringLiteral("bench group %1").arg(g), ids.constFirst(), ids, now);
        if (!room)
            return room.error();
        pop.rooms.append(BenchRoom{room->id, members, false});
    }
    for (const auto& [a, b] : spec.dms) {
        auto dm = (*store)->openDm(pop.users.at(a).id, pop.users.at(b).id, now);
        if (!dm)
            return dm.error();
        pop.rooms.append(BenchRoom{dm->room.id, a == b ? QList<int>{a} : QList<int>{a, b}, true});
    }
    (*store)->close();
    return pop;
}

Result<Population> registerPopulation(const QUrl& url, const PopulationSpec& spec)
{
    SyncClient client;
    if (auto opened = client.open(url); !opened)
        return opened.error();
    // Two in flight (the server's default --hash-per-connection): enough to
    // keep two hash threads busy. A rate_limited answer (the server's hash
    // queue, or its --register-burst per address: raise it on the server for
    // large populations) is retried after the time it names.
    constexpr int kInFlight = 2;
    Population pop;
    pop.users.resize(spec.users);
    std::deque<std::pair<int, QString>> inFlight;
    int next = 0;
    int done = 0;
    auto post = [&](int i) {
        const QString name = userName(runNonce(), i);
        inFlight.emplace_back(
            i, client.post(QStringLiteral("register"),
                           {{QStringLiteral("username"), name}, {QStringLiteral("password"), name}}));
    };
    while (done < spec.users) {
        while (int(inFlight.size()) < kInFlight && next < spec.users)
            post(next++);
        const auto [i, id] = inFlight.front();
        inFlight.pop_front();
        auto reply = client.wait(id, 120000);
        if (!reply && reply.error().code == ErrorCode::RateLimited) {
            QThread::msleep(quint64(std::clamp<qint64>(reply.error().retryAfterMs, 1, 60'000)));
            post(i);
            continue;
        }
        if (!reply)
            return reply.error();
        const QJsonObject user = reply->payload.value(QStringLiteral("user")).toObject();
        pop.users[i] = BenchUser{qint64(user.value(QStringLiteral("id")).toDouble()),
                                 reply->payload.value(QStringLiteral("token")).toString()};
        if (++done % 100 == 0)
            std::fprintf(stderr, "registered %d/%d users\n", done, spec.users);
    }
    auto actAs = [&](int user) {
        return client.request(QStringLiteral("auth"), {{QStringLiteral("token"), pop.users.at(user).token}});
    };
    for (int g = 0; g < spec.groups.size(); ++g) {
        const QList<int>& members = spec.groups.at(g);
        if (auto authed = actAs(members.constFirst()); !authed)
            return authed.error();
        QJsonArray ids2;
        for (int m : members)
            ids2.append(pop.users.at(m).id);
        auto room = client.request(QStringLiteral("create_room"),
                                   {{QStringLiteral("name"), QStringLiteral("bench %1").arg(g)},
                                    {QStringLiteral("memberIds"), ids2}});
        if (!room)
            return room.error();
        const Id roomId = qint64(
            room->payload.value(QStringLiteral("room")).toObject().value(QStringLiteral("id")).toDouble());
        pop.rooms.append(BenchRoom{roomId, members, false});
    }
    for (const auto& [a, b] : spec.dms) {
        if (auto authed = actAs(a); !authed)
            return authed.error();
        auto room =
            client.request(QStringLiteral("open_dm"), {{QStringLiteral("userId"), pop.users.at(b).id}});
        if (!room)
            return room.error();
        const Id roomId = qint64(
            room->payload.value(QStringLiteral("room")).toObject().value(QStringLiteral("id")).toDouble());
        pop.rooms.append(BenchRoom{roomId, a == b ? QList<int>{a} : QList<int>{a, b}, true});
    }
    return pop;
}

Result<qint64> seedMessages(const QString& sqlitePath, const Population& population, qint64 count,
                            int progressEvery)
{
    // Words the history scenario searches for sit among filler, so the
    // probes find matches at realistic (not 100 %) selectivity.
    static const char* const english[] = {"deploy", "meeting",  "review",   "the",    "build",
                                          "is",     "green",    "please",   "check",  "release",
                                          "notes",  "tomorrow", "lunch",    "server", "latency",
                                          "fixed",  "bug",      "customer", "report", "ok"};
    static const char* const chinese[] = {"今天", "下午", "开会", "会议室", "部署", "发布", "检查", "客户",
                                          "报告", "明天", "午饭", "服务器", "延迟", "修复", "好的"};
    auto store = openStore(sqlitePath);
    if (!store)
        return store.error();
    QRandomGenerator rng(42);
    qint64 createdAt = QDateTime::currentMSecsSinceEpoch() - count;
    for (qint64 i = 0; i < count; ++i) {
        const BenchRoom& room = population.rooms.at(int(i % population.rooms.size()));
        QString content;
        const bool zh = rng.bounded(3) == 0;
        const int words = 4 + int(rng.bounded(12));
        for (int w = 0; w < words; ++w) {
            if (zh)
                content += QString::fromUtf8(chinese[rng.bounded(int(std::size(chinese)))]);
            else
                content += QLatin1String(english[rng.bounded(int(std::size(english)))]) + QLatin1Char(' ');
        }
        server::NewMessage m;
        m.roomId = room.id;
        m.senderId = population.users.at(room.members.at(int(rng.bounded(room.members.size())))).id;
        m.content = content.trimmed();
        m.tempId = QStringLiteral("seed-%1-%2").arg(runNonce()).arg(i);
        m.createdAt = ++createdAt;
        if (auto inserted = (*store)->insertMessage(m); !inserted)
            return inserted.error();
        if (progressEvery > 0 && (i + 1) % progressEvery == 0)
            std::fprintf(stderr, "seeded %lld/%lld messages\n", static_cast<long long>(i + 1),
                         static_cast<long long>(count));
    }
    (*store)->close();
    return count;
}

} // namespace confab::bench
