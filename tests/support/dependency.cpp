#include "dependency.h"

#include <QStringList>

namespace confab::test {
namespace {

QStringList& missing()
{
    static QStringList list;
    return list;
}

} // namespace

bool toolsRequired()
{
    return qEnvironmentVariable("CONFAB_REQUIRE_TOOLS") == QLatin1String("1");
}

void noteMissingDependency(const QString& what)
{
    if (!missing().contains(what))
        missing().append(what);
}

bool anyDependencyMissing()
{
    return !missing().isEmpty();
}

int suiteExitCode(int qtestExitCode)
{
    if (qtestExitCode != 0)
        return qtestExitCode == kSkippedExitCode ? kSkippedExitCode + 1 : qtestExitCode;
    if (!anyDependencyMissing())
        return 0;
    // After QtTest's totals, so the reason is the last thing ctest shows.
    qInfo("Skipped for a missing dependency (exit %d):", kSkippedExitCode);
    for (const QString& what : std::as_const(missing()))
        qInfo("  %s", qPrintable(what));
    return kSkippedExitCode;
}

} // namespace confab::test
