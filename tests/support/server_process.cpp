#include "server_process.h"

#include <QRegularExpression>
#include <QTest>

namespace confab::test {

QStringList clusterArguments(const QString& databaseUrl)
{
    return {QStringLiteral("--db"),
            databaseUrl,
            QStringLiteral("--cluster-heartbeat-ms"),
            QStringLiteral("200"),
            QStringLiteral("--hash-threads"),
            QStringLiteral("1"),
            QStringLiteral("--send-rate"),
            QStringLiteral("10000"),
            QStringLiteral("--send-burst"),
            QStringLiteral("100000")};
}

ServerProcess::~ServerProcess()
{
    if (isRunning())
        kill();
}

QString ServerProcess::binary()
{
    return qEnvironmentVariable("CONFAB_SERVER_BIN");
}

QUrl startListening(QProcess& process, const QStringList& arguments, int timeoutMs, QByteArray* output)
{
    process.setProgram(ServerProcess::binary());
    process.setArguments(arguments);
    process.start();
    if (!process.waitForStarted(5000))
        return {};
    const QRegularExpression line(QStringLiteral("^listening on (wss?://\\S+)$"),
                                  QRegularExpression::MultilineOption);
    QByteArray read;
    QRegularExpressionMatch match;
    (void)QTest::qWaitFor(
        [&] {
            read += process.readAllStandardOutput();
            match = line.match(QString::fromUtf8(read));
            return match.hasMatch() || process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    if (output)
        output->append(read);
    return match.hasMatch() ? QUrl(match.captured(1)) : QUrl();
}

bool ServerProcess::start(const QStringList& arguments, int timeoutMs)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_url = startListening(m_process,
                           arguments + QStringList{QStringLiteral("--port"), QStringLiteral("0"),
                                                   QStringLiteral("--ops-port"), QStringLiteral("0")},
                           timeoutMs, &m_output);
    if (!m_url.isValid()) {
        qWarning("confab-server did not start:\n%s", m_output.constData());
        return false;
    }
    return true;
}

void ServerProcess::kill()
{
    m_process.kill();
    m_process.waitForFinished(5000);
}

bool ServerProcess::terminate(int timeoutMs)
{
    m_process.terminate();
    return m_process.waitForFinished(timeoutMs) && m_process.exitStatus() == QProcess::NormalExit &&
           m_process.exitCode() == 0;
}

QString ServerProcess::output()
{
    m_output += m_process.readAll();
    return QString::fromUtf8(m_output);
}

} // namespace confab::test
