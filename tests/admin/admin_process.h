#pragma once

// confab-server as a process for the admin command suites: a server to chat
// through while a backup or export runs, and `confab-server admin ...`.
#include "server_process.h"

#include <QProcess>
#include <QRegularExpression>
#include <QStringList>
#include <QTest>
#include <QUrl>

#include <csignal>

namespace confab::test {

inline QString serverBinary()
{
    return qEnvironmentVariable("CONFAB_SERVER_BIN");
}

// Starts confab-server on --db `databaseUrl`, port 0, and waits for its
// "listening on ws://..." line; an invalid URL when it did not come up.
inline QUrl startServerProcess(QProcess& process, const QString& databaseUrl)
{
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    return startListening(process,
                          {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--ops-port"),
                           QStringLiteral("off"), QStringLiteral("--db"), databaseUrl,
                           QStringLiteral("--send-rate"), QStringLiteral("100000"),
                           QStringLiteral("--send-burst"), QStringLiteral("100000")},
                          20000);
}

// SIGTERM and wait: the server's clean shutdown (checkpoints the WAL).
inline bool stopServerProcess(QProcess& process)
{
    ::kill(pid_t(process.processId()), SIGTERM);
    return process.waitForFinished(15000) && process.exitStatus() == QProcess::NormalExit &&
           process.exitCode() == 0;
}

struct AdminRun {
    int exitCode = -1;
    QString errorText; // stderr: what the command told the administrator
    QByteArray output; // stdout
};

inline void startAdmin(QProcess& process, const QStringList& arguments)
{
    process.setProgram(serverBinary());
    process.setArguments(QStringList{QStringLiteral("admin")} + arguments);
    process.start();
}

inline AdminRun finishAdmin(QProcess& process, int timeoutMs = 120000)
{
    AdminRun run;
    // waitForFinished() is false for a process that already finished.
    const bool finished = process.state() == QProcess::NotRunning || process.waitForFinished(timeoutMs);
    if (!finished || process.exitStatus() != QProcess::NormalExit) {
        run.errorText = QStringLiteral("admin command did not finish: ") + process.errorString();
        return run;
    }
    run.exitCode = process.exitCode();
    run.errorText = QString::fromUtf8(process.readAllStandardError());
    run.output = process.readAllStandardOutput();
    return run;
}

// `confab-server admin <arguments>`, run to completion.
inline AdminRun runAdmin(const QStringList& arguments, int timeoutMs = 120000,
                         const QProcessEnvironment& environment = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(environment);
    startAdmin(process, arguments);
    return finishAdmin(process, timeoutMs);
}

} // namespace confab::test
