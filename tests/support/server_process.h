#pragma once

#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace confab::test {

// Arguments for a confab-server instance of a test cluster on `databaseUrl`:
// short heartbeats (an instance is presumed dead after 3 x 200 ms), one hash
// thread, and send limits out of the way of bursts.
QStringList clusterArguments(const QString& databaseUrl);

// Starts `process` as confab-server (CONFAB_SERVER_BIN) with `arguments` and
// waits for its "listening on ws://..." (or wss://) line on stdout. Returns
// that URL, or an invalid one when the server exited or did not come up in
// time. What it read is appended to `output` when given.
QUrl startListening(QProcess& process, const QStringList& arguments, int timeoutMs = 15000,
                    QByteArray* output = nullptr);

// confab-server (CONFAB_SERVER_BIN) as a child process: started with the
// given arguments and "--port 0", ready once it prints "listening on ws://..."
// (or wss://).
class ServerProcess {
public:
    ServerProcess() = default;
    ~ServerProcess();
    ServerProcess(const ServerProcess&) = delete;
    ServerProcess& operator=(const ServerProcess&) = delete;

    static QString binary();

    // False (with the server's output logged) if it did not come up in time.
    bool start(const QStringList& arguments, int timeoutMs = 15000);
    QUrl url() const { return m_url; }
    bool isRunning() const { return m_process.state() != QProcess::NotRunning; }
    qint64 pid() const { return m_process.processId(); }
    // SIGKILL: no goodbye to anyone.
    void kill();
    // SIGTERM and wait; false if it did not exit cleanly.
    bool terminate(int timeoutMs = 10000);
    // Everything it printed so far (stdout and stderr).
    QString output();
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
    QUrl m_url;
    QByteArray m_output;
};

} // namespace confab::test
