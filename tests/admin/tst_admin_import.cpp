// confab-server admin import's refusals, with real processes: an import into
// a non-empty database, a damaged or cut export, a newer format, an unknown
// column or a dangling reference is refused and leaves the target empty (one
// transaction), on SQLite and PostgreSQL; an export refuses a table it does
// not cover; memory stays flat on a larger import and export.
#include "admin_process.h"
#include "scratch_postgres.h"
#include "test_client.h"
#include "test_server.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace confab::test;

namespace {

qint64 countRows(const QString& url, const QString& table)
{
    qint64 n = -1;
    {
        QSqlDatabase db = openTestDatabase(url, QStringLiteral("count"));
        QSqlQuery q(db);
        if (q.exec(QStringLiteral("SELECT COUNT(*) FROM ") + table) && q.next())
            n = q.value(0).toLongLong();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("count"));
    return n;
}

// Peak RSS of a command run under /usr/bin/time -v, in KiB (-1 if unknown).
qint64 peakRssKiB(const QString& timeOutput)
{
    const QRegularExpression line(QStringLiteral("Maximum resident set size \\(kbytes\\): (\\d+)"));
    const auto match = line.match(timeOutput);
    return match.hasMatch() ? match.captured(1).toLongLong() : -1;
}

} // namespace

class TestAdminImport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void importIntoNonEmptyDatabaseIsRefused_data();
    void importIntoNonEmptyDatabaseIsRefused();
    void damagedExportsLeaveTheTargetEmpty_data();
    void damagedExportsLeaveTheTargetEmpty();
    void exportRefusesTablesItDoesNotCover();
    void olderFormatGivesGroupOwnersTheirRole();
    void largeExportStaysSmallInMemory();

private:
    QString file(const QString& name) const { return m_dir.filePath(name); }
    // A fresh PostgreSQL database; call CONFAB_REQUIRE_POSTGRES() first.
    QString newPostgres();

    QTemporaryDir m_dir;
    std::vector<std::unique_ptr<ScratchPostgres>> m_postgres;
};

// base.jsonl: a small export of a real server's SQLite database (users, a
// group, a DM, messages with a mention, a read marker).
void TestAdminImport::initTestCase()
{
    QVERIFY2(QFile::exists(serverBinary()), "CONFAB_SERVER_BIN must name the built confab-server");
    QVERIFY(m_dir.isValid());
    const QString database = QStringLiteral("sqlite:") + file(QStringLiteral("base.db"));
    QProcess server;
    const QUrl url = startServerProcess(server, database);
    QVERIFY(url.isValid());
    {
        auto alice = signUpAt(url, QStringLiteral("alice"));
        auto bob = signUpAt(url, QStringLiteral("bob"));
        QVERIFY(alice && bob);
        const qint64 room = createGroup(*alice, QStringLiteral("组"), {bob->userId});
        QVERIFY(openDm(*alice, bob->userId) > 0);
        const QJsonArray mention{QJsonObject{{QStringLiteral("userId"), bob->userId},
                                             {QStringLiteral("indexStart"), 0},
                                             {QStringLiteral("indexEnd"), 4}}};
        const qint64 read = sendMessage(*alice, room, QStringLiteral("@bob 你好"), {}, mention);
        QVERIFY(read > 0);
        bob->request(QStringLiteral("mark_read"),
                     {{QStringLiteral("roomId"), room}, {QStringLiteral("messageId"), read}});
        for (int i = 0; i < 5; ++i)
            QVERIFY(sendMessage(*bob, room, QStringLiteral("reply %1").arg(i)) > 0);
    }
    QVERIFY(stopServerProcess(server));
    const AdminRun run = runAdmin(
        {QStringLiteral("export"), QStringLiteral("--db"), database, file(QStringLiteral("base.jsonl"))});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
}

QString TestAdminImport::newPostgres()
{
    m_postgres.push_back(std::make_unique<ScratchPostgres>());
    if (!m_postgres.back()->isValid())
        qWarning("no PostgreSQL database: %s", qPrintable(m_postgres.back()->error()));
    return m_postgres.back()->url();
}

void TestAdminImport::importIntoNonEmptyDatabaseIsRefused_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::newRow("sqlite") << false;
    QTest::newRow("postgresql") << true;
}

void TestAdminImport::importIntoNonEmptyDatabaseIsRefused()
{
    QFETCH(bool, postgres);
    if (postgres)
        CONFAB_REQUIRE_POSTGRES();
    const QString target =
        postgres ? newPostgres() : QStringLiteral("sqlite:") + file(QStringLiteral("full.db"));
    const QStringList import{QStringLiteral("import"), QStringLiteral("--db"), target,
                             file(QStringLiteral("base.jsonl"))};
    AdminRun run = runAdmin(import);
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
    const qint64 messages = countRows(target, QStringLiteral("messages"));
    QVERIFY(messages > 0);
    run = runAdmin(import);
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errorText.contains(QLatin1String("not empty")), qPrintable(run.errorText));
    QCOMPARE(countRows(target, QStringLiteral("messages")), messages);
}

void TestAdminImport::damagedExportsLeaveTheTargetEmpty_data()
{
    QTest::addColumn<bool>("postgres");
    QTest::addColumn<QString>("damage");
    QTest::addColumn<QString>("expected");
    for (bool pg : {false, true}) {
        const char* backend = pg ? "postgresql" : "sqlite";
        QTest::addRow("%s cut mid-line", backend) << pg << "cut"
                                                  << "not a JSON object";
        QTest::addRow("%s no end marker", backend) << pg << "nofooter"
                                                   << "without its end marker";
        QTest::addRow("%s newer format", backend) << pg << "newer"
                                                  << "format version 99";
        QTest::addRow("%s unknown column", backend) << pg << "column"
                                                    << "\"users.avatar\"";
        QTest::addRow("%s wrong footer count", backend) << pg << "count"
                                                        << "the footer says";
        QTest::addRow("%s dangling sender", backend) << pg << "dangling"
                                                     << "cannot insert into messages";
    }
}

void TestAdminImport::damagedExportsLeaveTheTargetEmpty()
{
    QFETCH(bool, postgres);
    QFETCH(QString, damage);
    QFETCH(QString, expected);
    if (postgres)
        CONFAB_REQUIRE_POSTGRES();
    QFile original(file(QStringLiteral("base.jsonl")));
    QVERIFY(original.open(QIODevice::ReadOnly));
    QList<QByteArray> lines = original.readAll().split('\n');
    lines.removeLast(); // after the last '\n'
    QByteArray text;
    if (damage == QLatin1String("cut")) {
        text = lines.mid(0, lines.size() - 2).join('\n') + '\n' + lines.at(lines.size() - 2).left(10);
    } else if (damage == QLatin1String("nofooter")) {
        text = lines.mid(0, lines.size() - 1).join('\n') + '\n';
    } else {
        QJsonObject header = QJsonDocument::fromJson(lines.first()).object();
        if (damage == QLatin1String("newer")) {
            header.insert(QStringLiteral("format_version"), 99);
        } else if (damage == QLatin1String("column")) {
            QJsonObject tables = header.value(QLatin1String("tables")).toObject();
            QJsonArray users = tables.value(QLatin1String("users")).toArray();
            users.append(QStringLiteral("avatar"));
            tables.insert(QStringLiteral("users"), users);
            header.insert(QStringLiteral("tables"), tables);
        } else if (damage == QLatin1String("dangling")) {
            for (QByteArray& line : lines) {
                QJsonObject row = QJsonDocument::fromJson(line).object();
                if (row.value(QLatin1String("table")).toString() != QLatin1String("messages"))
                    continue;
                QJsonArray values = row.value(QLatin1String("row")).toArray();
                values[2] = 999; // sender_id: no such user
                row.insert(QStringLiteral("row"), values);
                line = QJsonDocument(row).toJson(QJsonDocument::Compact);
                break;
            }
        } else {
            lines.removeAt(lines.size() - 2); // a row goes missing, the footer stays
        }
        lines[0] = QJsonDocument(header).toJson(QJsonDocument::Compact);
        text = lines.join('\n') + '\n';
    }
    const QString damaged = file(QStringLiteral("damaged.jsonl"));
    QFile out(damaged);
    QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
    out.write(text);
    out.close();

    QString target;
    if (postgres) {
        target = newPostgres();
    } else {
        target = QStringLiteral("sqlite:") + file(QStringLiteral("damaged-%1.db").arg(damage));
    }
    const AdminRun run = runAdmin({QStringLiteral("import"), QStringLiteral("--db"), target, damaged});
    QCOMPARE(run.exitCode, 1);
    QVERIFY2(run.errorText.contains(expected), qPrintable(run.errorText));
    QVERIFY2(run.errorText.contains(QLatin1String("nothing was imported")), qPrintable(run.errorText));
    for (const char* table : {"users", "rooms", "members", "messages", "mentions", "message_search"})
        QCOMPARE(countRows(target, QLatin1String(table)), 0);
}

// A migration that adds a table or column without a line in
// export_tables.cpp must not make exports silently lose it.
void TestAdminImport::exportRefusesTablesItDoesNotCover()
{
    const QString database = QStringLiteral("sqlite:") + file(QStringLiteral("uncovered.db"));
    QProcess server; // creates the schema
    QVERIFY(startServerProcess(server, database).isValid());
    QVERIFY(stopServerProcess(server));
    AdminRun run;
    for (const auto& [change, expected] :
         {std::pair{"CREATE TABLE polls (code TEXT PRIMARY KEY)",
                    "the table polls is not in the export format"},
          std::pair{"ALTER TABLE users ADD COLUMN avatar TEXT",
                    "the column users.avatar is not in the export format"}}) {
        {
            QSqlDatabase db = openTestDatabase(database, QStringLiteral("change"));
            QSqlQuery query(db);
            if (QLatin1String(change).startsWith(QLatin1String("ALTER")))
                QVERIFY(query.exec(QStringLiteral("DROP TABLE polls")));
            QVERIFY(query.exec(QLatin1String(change)));
        }
        QSqlDatabase::removeDatabase(QStringLiteral("change"));
        run = runAdmin({QStringLiteral("export"), QStringLiteral("--db"), database,
                        file(QStringLiteral("uncovered.jsonl"))});
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.errorText.contains(QLatin1String(expected)), qPrintable(run.errorText));
        QVERIFY(!QFile::exists(file(QStringLiteral("uncovered.jsonl"))));
    }
}

namespace {

// An export of `messages` messages of `contentChars` characters each (one
// user, one room), as confab-server admin export writes them.
void writeGeneratedExport(const QString& path, int messages, int contentChars)
{
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    const QByteArray hash = QByteArray("$argon2id$v=19$m=19456,t=2,p=1$x").toBase64();
    out.write(R"({"format":"confab-export","format_version":1,"schema_version":2,"backend":"sqlite",)"
              R"("exported_at":"2026-11-26T00:00:00Z","tables":{"users":["id","username","username_fold",)"
              R"("display_name","display_name_fold","password_hash","created_at","last_seen_at","disabled"],)"
              R"("rooms":["id","type","name","owner_id","dm_low","dm_high","created_at"],)"
              R"("members":["room_id","user_id","joined_at","last_read_message_id"],)"
              R"("messages":["id","room_id","sender_id","content","mentions_json","temp_id","reply_to",)"
              R"("created_at","edited_at","deleted"]}})"
              "\n");
    out.write(R"({"table":"users","row":[1,"u","u","U","u",")" + hash +
              R"(",1,1,0]})"
              "\n");
    out.write(R"({"table":"rooms","row":[1,"group","big",1,null,null,1]})"
              "\n");
    out.write(R"({"table":"members","row":[1,1,1,0]})"
              "\n");
    // Words that differ from row to row, so the search index has work too.
    const QString filler = QStringLiteral("消息 with some text to index, ");
    for (int i = 1; i <= messages; ++i) {
        QString content = QStringLiteral("number %1 ").arg(i);
        while (content.size() < contentChars)
            content += filler + QString::number(i * 7919 % 100003) + QLatin1Char(' ');
        content.truncate(contentChars);
        out.write(QStringLiteral(R"({"table":"messages","row":[%1,1,1,"%2","[]","t%1",null,%1,null,0]})"
                                 "\n")
                      .arg(i)
                      .arg(content)
                      .toUtf8());
    }
    out.write(QStringLiteral(R"({"end":true,"counts":{"members":1,"messages":%1,"rooms":1,"users":1}})"
                             "\n")
                  .arg(messages)
                  .toUtf8());
}

struct Measured {
    qint64 importRssKiB = -1;
    qint64 exportRssKiB = -1;
    qint64 fileBytes = 0;
};

// Imports a generated export into a new SQLite database and exports it
// again, each under /usr/bin/time -v; their peak RSS.
Measured measureImportAndExport(const QTemporaryDir& dir, const QString& name, int messages, int contentChars)
{
    Measured m;
    const QString generated = dir.filePath(name + QStringLiteral(".jsonl"));
    writeGeneratedExport(generated, messages, contentChars);
    m.fileBytes = QFileInfo(generated).size();
    const QString target = QStringLiteral("sqlite:") + dir.filePath(name + QStringLiteral(".db"));
    const auto timed = [](const QStringList& arguments, qint64* rss) {
        QProcess run;
        run.start(QStringLiteral("/usr/bin/time"),
                  QStringList{QStringLiteral("-v"), serverBinary(), QStringLiteral("admin")} + arguments);
        if (!run.waitForFinished(300000))
            return false;
        const QString text = QString::fromUtf8(run.readAllStandardError());
        if (run.exitCode() != 0) {
            qWarning("%s", qPrintable(text));
            return false;
        }
        *rss = peakRssKiB(text);
        return true;
    };
    if (!timed({QStringLiteral("import"), QStringLiteral("--db"), target, generated}, &m.importRssKiB))
        return {};
    if (countRows(target, QStringLiteral("messages")) != messages)
        return {};
    timed({QStringLiteral("export"), QStringLiteral("--db"), target,
           dir.filePath(name + QStringLiteral("-out.jsonl"))},
          &m.exportRssKiB);
    return m;
}

} // namespace

// A format 4 export (before groups) has no roles: the owner of each group
// (rooms.owner_id) becomes its owner, the others members, holding the role
// since they joined; the directory's folded names are derived on import.
void TestAdminImport::olderFormatGivesGroupOwnersTheirRole()
{
    const QString path = file(QStringLiteral("format4.jsonl"));
    {
        QFile out(path);
        QVERIFY(out.open(QIODevice::WriteOnly));
        const QByteArray hash = QByteArray("$argon2id$v=19$m=19456,t=2,p=1$x").toBase64();
        out.write(R"({"format":"confab-export","format_version":4,"schema_version":6,"backend":"sqlite",)"
                  R"("exported_at":"2026-11-26T00:00:00Z","tables":{"users":["id","username","username_fold",)"
                  R"("display_name","display_name_fold","password_hash","created_at","last_seen_at","disabled"],)"
                  R"("rooms":["id","type","name","owner_id","dm_low","dm_high","created_at"],)"
                  R"("members":["room_id","user_id","joined_at","last_read_message_id","notify"]}})"
                  "\n");
        for (int user = 1; user <= 2; ++user)
            out.write(QStringLiteral(R"({"table":"users","row":[%1,"u%1","u%1","U","u",")").arg(user).toUtf8() +
                      hash + R"(",1,1,0]})" "\n");
        out.write(R"({"table":"rooms","row":[1,"group","Big ÄRGER",2,null,null,1]})" "\n");
        out.write(R"({"table":"members","row":[1,1,5,0,"all"]})" "\n");
        out.write(R"({"table":"members","row":[1,2,7,0,"all"]})" "\n");
        out.write(R"({"end":true,"counts":{"members":2,"rooms":1,"users":2}})" "\n");
    }
    const QString target = QStringLiteral("sqlite:") + file(QStringLiteral("format4.db"));
    const AdminRun run = runAdmin({QStringLiteral("import"), QStringLiteral("--db"), target, path});
    QVERIFY2(run.exitCode == 0, qPrintable(run.errorText));
    {
        QSqlDatabase db = openTestDatabase(target, QStringLiteral("roles"));
        QSqlQuery q(db);
        QVERIFY(q.exec(QStringLiteral("SELECT user_id, role, role_since FROM members ORDER BY user_id")));
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toString(), QStringLiteral("member"));
        QCOMPARE(q.value(2).toLongLong(), 5);
        QVERIFY(q.next());
        QCOMPARE(q.value(1).toString(), QStringLiteral("owner"));
        QCOMPARE(q.value(2).toLongLong(), 7);
        QVERIFY(q.exec(QStringLiteral("SELECT name_fold FROM rooms WHERE id = 1")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("big ärger"));
    }
    QSqlDatabase::removeDatabase(QStringLiteral("roles"));
}

// Import and export stream: their memory does not grow with the number of
// rows. The same rows 2,000 and 40,000 times (the larger export is about
// 25 MB): the peak RSS may grow by the caches that fill up (SQLite's page
// cache, the search index's pending terms: a few MiB), not by anything like
// the data, which holding the rows would cost at least once over.
void TestAdminImport::largeExportStaysSmallInMemory()
{
    CONFAB_REQUIRE_TOOL(QFile::exists(QStringLiteral("/usr/bin/time")),
                        QStringLiteral("/usr/bin/time (Debian package time) is not installed: peak RSS "
                                       "not measured"));
    constexpr int kContentChars = 300;
    const Measured small = measureImportAndExport(m_dir, QStringLiteral("small"), 2'000, kContentChars);
    const Measured large = measureImportAndExport(m_dir, QStringLiteral("large"), 40'000, kContentChars);
    QVERIFY2(small.importRssKiB > 0 && small.exportRssKiB > 0, "the small run failed or reported no RSS");
    QVERIFY2(large.importRssKiB > 0 && large.exportRssKiB > 0, "the large run failed or reported no RSS");
    const qint64 moreDataKiB = (large.fileBytes - small.fileBytes) / 1024;
    qInfo("peak RSS, 2,000 -> 40,000 messages (%lld KiB more data): import %lld -> %lld KiB, "
          "export %lld -> %lld KiB",
          moreDataKiB, small.importRssKiB, large.importRssKiB, small.exportRssKiB, large.exportRssKiB);
    QVERIFY2(large.importRssKiB - small.importRssKiB < moreDataKiB / 3,
             "the import's memory grows with the rows it reads");
    QVERIFY2(large.exportRssKiB - small.exportRssKiB < moreDataKiB / 3,
             "the export's memory grows with the rows it writes");
}

CONFAB_TEST_MAIN(TestAdminImport)
#include "tst_admin_import.moc"
