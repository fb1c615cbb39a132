#include "scratch_postgres.h"

#include "store/database_url.h"
#include "store/postgres_connection.h"

#include <QCoreApplication>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>

namespace confab::test {
namespace {

// Runs one statement on the admin database (CREATE/DROP DATABASE cannot be
// prepared with binds; the name is generated here, never user input).
QString runAdmin(const QString& statement)
{
    const auto url = server::DatabaseUrl::parse(ScratchPostgres::adminUrl());
    if (!url)
        return url.error().message;
    QString error;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), QStringLiteral("scratch-admin"));
        server::configurePostgresConnection(db, url.value(), 5, QStringLiteral("confab-tests"));
        if (!db.open()) {
            error = db.lastError().text();
        } else {
            QSqlQuery query(db);
            if (!query.exec(statement))
                error = query.lastError().text();
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("scratch-admin"));
    return error;
}

} // namespace

QString ScratchPostgres::unavailableReason()
{
    if (adminUrl().isEmpty())
        return QStringLiteral(
            "CONFAB_TEST_PG_URL is not set (scripts/test.sh starts a PostgreSQL for the tests)");
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return QStringLiteral("the Qt PostgreSQL driver QPSQL is missing (Debian package libqt6sql6-psql)");
    return {};
}

ScratchPostgres::ScratchPostgres()
{
    if (const QString why = unavailableReason(); !why.isEmpty()) {
        m_error = why;
        return;
    }
    m_name = QStringLiteral("confab_scratch_%1_%2")
                 .arg(QCoreApplication::applicationPid())
                 .arg(QRandomGenerator::global()->generate(), 8, 16, QLatin1Char('0'));
    if (const QString failed = runAdmin(QStringLiteral("CREATE DATABASE %1").arg(m_name));
        !failed.isEmpty()) {
        m_error = QStringLiteral("CREATE DATABASE failed: %1").arg(failed);
        m_name.clear();
        return;
    }
    QUrl url(adminUrl());
    url.setPath(QLatin1Char('/') + m_name);
    m_url = url.toString();
}

ScratchPostgres::~ScratchPostgres()
{
    if (!m_name.isEmpty())
        runAdmin(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)").arg(m_name));
}

} // namespace confab::test
