#include "proc_stats.h"

#include <QFile>

#include <unistd.h>

namespace confab::bench {
namespace {

ProcSample sampleAt(const QString& dir)
{
    ProcSample s;
    QFile stat(dir + QStringLiteral("/stat"));
    if (!stat.open(QIODevice::ReadOnly))
        return s;
    const QByteArray line = stat.readAll();
    // The command name (field 2) may hold spaces and parentheses: split after the last ')'.
    const int close = line.lastIndexOf(')');
    if (close < 0)
        return s;
    const QList<QByteArray> fields = line.mid(close + 2).split(' ');
    // After the name: state is field 3, so utime (14) and stime (15) are at 11 and 12.
    if (fields.size() < 13)
        return s;
    const double ticks = double(sysconf(_SC_CLK_TCK));
    s.cpuSeconds = (fields.at(11).toDouble() + fields.at(12).toDouble()) / ticks;

    QFile status(dir + QStringLiteral("/status"));
    if (!status.open(QIODevice::ReadOnly))
        return s;
    for (const QByteArray& l : status.readAll().split('\n')) {
        if (l.startsWith("VmRSS:")) {
            s.rssKiB = l.mid(6).trimmed().split(' ').value(0).toLongLong();
            break;
        }
    }
    s.valid = true;
    return s;
}

} // namespace

ProcSample sampleProcess(qint64 pid)
{
    return pid > 0 ? sampleAt(QStringLiteral("/proc/%1").arg(pid)) : ProcSample{};
}

ProcSample sampleSelf()
{
    return sampleAt(QStringLiteral("/proc/self"));
}

} // namespace confab::bench
