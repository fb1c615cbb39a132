#include "server_process.h"

#include <QDeadlineTimer>
#include <QFile>

namespace confab::bench {

ServerProcess::ServerProcess() = default;

ServerProcess::~ServerProcess()
{
    stop();
}

QString ServerProcess::databasePath() const
{
    return m_dir.filePath(QStringLiteral("bench.db"));
}

Result<void> ServerProcess::start(const QString& binary, const QStringList& extraArgs, bool liftLimits)
{
    if (!m_dir.isValid())
        return Error{ErrorCode::Internal, QStringLiteral("cannot create a temporary directory")};
    m_arguments = {QStringLiteral("--port"),         QStringLiteral("0"),
                   QStringLiteral("--db"),           QStringLiteral("sqlite:") + databasePath(),
                   QStringLiteral("--hash-threads"), QStringLiteral("2"),
                   QStringLiteral("--send-rate"),    QStringLiteral("1000000"),
                   QStringLiteral("--send-burst"),   QStringLiteral("1000000"),
                   QStringLiteral("--ops-port"),     QStringLiteral("0")};
    // Every simulated client connects from this one address.
    m_arguments += {QStringLiteral("--max-connections-per-address"), QStringLiteral("0"),
                    QStringLiteral("--max-unauthenticated-connections"), QStringLiteral("0")};
    m_arguments += extraArgs;
    m_process = std::make_unique<QProcess>();
    if (liftLimits) {
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        // AUTH: token checks are limited per client address, and every
        // simulated client has the tool's one address (the soak's churn).
        for (const char* name : {"TYPING", "MARK_READ", "HISTORY", "SEARCH", "ROOM", "PING", "AUTH"}) {
            environment.insert(QStringLiteral("CONFAB_%1_RATE").arg(QLatin1String(name)),
                               QStringLiteral("1000000"));
            environment.insert(QStringLiteral("CONFAB_%1_BURST").arg(QLatin1String(name)),
                               QStringLiteral("1000000"));
        }
        m_process->setProcessEnvironment(environment);
    }
    // The server logs a line per sign-in: into a file, not over our report.
    // Its stdout carries only the "listening on" line we wait for.
    m_process->setStandardErrorFile(m_dir.filePath(QStringLiteral("server.log")));
    m_process->start(binary, m_arguments);
    if (!m_process->waitForStarted(10000))
        return Error{ErrorCode::Internal,
                     QStringLiteral("cannot start %1: %2").arg(binary, m_process->errorString())};

    QDeadlineTimer deadline(30000);
    QByteArray out;
    while (!deadline.hasExpired()) {
        if (m_process->state() != QProcess::Running)
            return Error{ErrorCode::Internal,
                         QStringLiteral("%1 exited at start-up: %2").arg(binary, serverLog())};
        m_process->waitForReadyRead(100);
        out += m_process->readAllStandardOutput();
        const int at = out.indexOf("listening on ");
        const int end = out.indexOf('\n', at);
        if (at >= 0 && end > at) {
            m_url = QUrl(QString::fromUtf8(out.mid(at + 13, end - at - 13).trimmed()));
            return {};
        }
    }
    return Error{ErrorCode::Internal, QStringLiteral("%1 did not report its port in 30 s").arg(binary)};
}

void ServerProcess::stop()
{
    if (!m_process || m_process->state() == QProcess::NotRunning)
        return;
    m_process->terminate();
    if (!m_process->waitForFinished(10000)) {
        m_process->kill();
        m_process->waitForFinished(5000);
    }
}

QString ServerProcess::serverLog() const
{
    QFile log(m_dir.filePath(QStringLiteral("server.log")));
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll().right(2000)) : QString();
}

qint64 ServerProcess::pid() const
{
    return m_process ? m_process->processId() : 0;
}

} // namespace confab::bench
