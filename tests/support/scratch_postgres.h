#pragma once

#include "dependency.h"

#include <QString>

namespace confab::test {

// A fresh, empty PostgreSQL database on the test cluster that
// scripts/test.sh starts (CONFAB_TEST_PG_URL), dropped on destruction.
class ScratchPostgres {
public:
    ScratchPostgres();
    ~ScratchPostgres();
    ScratchPostgres(const ScratchPostgres&) = delete;
    ScratchPostgres& operator=(const ScratchPostgres&) = delete;

    // Empty when no test cluster is configured: see skipReason().
    static QString adminUrl() { return qEnvironmentVariable("CONFAB_TEST_PG_URL"); }
    // Why PostgreSQL tests cannot run here; empty when they can. CI sets
    // CONFAB_REQUIRE_POSTGRES=1, which turns a missing cluster into a failure.
    static QString unavailableReason();
    static bool required() { return qEnvironmentVariable("CONFAB_REQUIRE_POSTGRES") == QLatin1String("1"); }

    bool isValid() const { return !m_url.isEmpty(); }
    QString url() const { return m_url; } // postgresql://... of the new database
    QString error() const { return m_error; }

private:
    QString m_name;
    QString m_url;
    QString m_error;
};

} // namespace confab::test

// In a test function or initTestCase: fail (CI) or skip loudly (locally)
// when there is no PostgreSQL to test against; a suite skipped this way
// exits 77 (dependency.h), which ctest shows as Skipped.
#define CONFAB_REQUIRE_POSTGRES()                                                                            \
    do {                                                                                                     \
        const QString reason_ = confab::test::ScratchPostgres::unavailableReason();                          \
        if (!reason_.isEmpty())                                                                              \
            CONFAB_SKIP_MISSING(confab::test::ScratchPostgres::required(),                                   \
                                QStringLiteral("PostgreSQL tests NOT RUN: ") + reason_);                     \
    } while (false)
