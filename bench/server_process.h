#pragma once

#include "protocol/result.h"

#include <QProcess>
#include <QStringList>
#include <QTemporaryDir>
#include <QUrl>

#include <memory>

namespace confab::bench {

// A confab-server the tool starts itself (--spawn) on a SQLite file in a
// temporary directory, listening on a free port. The limits that would
// throttle a load test (per-user send rate, argon2 threads) are raised or set
// so that the server's own speed is what gets measured.
class ServerProcess {
public:
    ServerProcess();
    ~ServerProcess();

    // The database file, to seed before start() (history, fast set-up).
    QString databasePath() const;
    // Starts the server and waits for its "listening on" line. With
    // `liftLimits` the per-request rate limits (typing, mark_read, history,
    // search, rooms, ping) are lifted like the send limit, through the
    // environment (CONFAB_<NAME>), which a server without them ignores.
    Result<void> start(const QString& binary, const QStringList& extraArgs = {}, bool liftLimits = true);
    void stop();

    QUrl url() const { return m_url; }
    qint64 pid() const;
    QStringList arguments() const { return m_arguments; }
    // The end of the server's log (it goes to a file in the temporary directory).
    QString serverLog() const;

private:
    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_process;
    QUrl m_url;
    QStringList m_arguments;
};

} // namespace confab::bench
