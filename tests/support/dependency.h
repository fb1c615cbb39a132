#pragma once

// A test that cannot run because something outside the code is missing
// (PostgreSQL, haproxy, /usr/bin/time) must never look like a pass. Each such
// skip is recorded, and a suite whose only shortfall is a missing dependency
// exits 77, which ctest reports as Skipped (confab_add_test sets
// SKIP_RETURN_CODE 77): any failure in the same run wins over it. In CI the
// same skip is a failure: CONFAB_REQUIRE_POSTGRES=1 (scripts/pg-test-cluster.sh
// prints it) for PostgreSQL, CONFAB_REQUIRE_TOOLS=1 (scripts/test.sh, which
// installs them) for programs.

#include <QString>
#include <QTest>

namespace confab::test {

inline constexpr int kSkippedExitCode = 77;

// CONFAB_REQUIRE_TOOLS=1: a missing program fails instead of skipping.
bool toolsRequired();

// Records that the current test was skipped because `what` is missing.
void noteMissingDependency(const QString& what);
bool anyDependencyMissing();

// QtTest's exit code (the number of failures), turned into ctest's verdict:
// 77 when nothing failed and something was skipped for a missing
// dependency; a failure count of exactly 77 is reported as 78.
int suiteExitCode(int qtestExitCode);

} // namespace confab::test

// Skips the current test (or fails it when `required`) for want of `what`.
#define CONFAB_SKIP_MISSING(required, what)                                                                  \
    do {                                                                                                     \
        const QString what_ = (what);                                                                        \
        if (required)                                                                                        \
            QFAIL(qPrintable(what_));                                                                        \
        confab::test::noteMissingDependency(what_);                                                          \
        QSKIP(qPrintable(what_));                                                                            \
    } while (false)

// A program or file the test needs: skipped loudly without it, failed in CI.
#define CONFAB_REQUIRE_TOOL(present, what)                                                                   \
    do {                                                                                                     \
        if (!(present))                                                                                      \
            CONFAB_SKIP_MISSING(confab::test::toolsRequired(), QStringLiteral("NOT RUN: ") + (what));        \
    } while (false)

// QTEST_MAIN and QTEST_GUILESS_MAIN with the exit code above.
#define CONFAB_TEST_MAIN_WRAPPER(TestObject, ...)                                                            \
    int main(int argc, char* argv[])                                                                         \
    {                                                                                                        \
        QT_PREPEND_NAMESPACE(QTest::Internal::callInitMain)<TestObject>();                                   \
        __VA_ARGS__                                                                                          \
        TestObject tc;                                                                                       \
        QTEST_SET_MAIN_SOURCE_PATH                                                                           \
        return confab::test::suiteExitCode(QTest::qExec(&tc, argc, argv));                                   \
    }
#define CONFAB_TEST_MAIN(TestObject) CONFAB_TEST_MAIN_WRAPPER(TestObject, QTEST_MAIN_SETUP())
#define CONFAB_TEST_GUILESS_MAIN(TestObject)                                                                 \
    CONFAB_TEST_MAIN_WRAPPER(TestObject, QTEST_QAPP_SETUP(QCoreApplication))
