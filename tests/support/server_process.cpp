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

bool ServerProcess::start(const QStringList& arguments, int timeoutMs)
{
    m_process.setProgram(binary());
    m_process.setArguments(arguments + QStringList{QStringLiteral("--port"), QStringLiteral("0"),
                                                   QStringLiteral("--ops-port"), QStringLiteral("0")});
    m_process.setProcessChannelMode(QProcess::MergedChannels);
    m_process.start();
    if (!m_process.waitForStarted(5000))
        return false;
    const QRegularExpression line(QStringLiteral("^listening on (wss?://\\S+)$"),
                                  QRegularExpression::MultilineOption);
    QRegularExpressionMatch match;
    (void)QTest::qWaitFor(
        [&] {
            m_output += m_process.readAll();
            match = line.match(QString::fromUtf8(m_output));
            return match.hasMatch() || m_process.state() == QProcess::NotRunning;
        },
        timeoutMs);
    if (!match.hasMatch()) {
        qWarning("confab-server did not start:\n%s", m_output.constData());
        return false;
    }
    m_url = QUrl(match.captured(1));
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
