#pragma once

#include <QByteArray>
#include <QObject>
#include <QTcpServer>
#include <QTcpSocket>

#include <memory>
#include <vector>

namespace confab::test {

// A TCP relay in front of PostgreSQL that can lose one COMMIT's reply, as a
// network failure at the worst moment does: armed with a marker, it watches
// what clients send (the frontend protocol: an untyped startup message, then
// typed messages). On the connection whose simple query ('Q') carries the
// marker (QPSQL sends EXECUTE with the values inlined), the next query
// "COMMIT" is forwarded; PostgreSQL's answer is read up to its ReadyForQuery
// and dropped, so the transaction has committed, and then both sides of that
// connection are cut. The client sees a connection lost during COMMIT.
class PgCommitCutter : public QObject {
    Q_OBJECT
public:
    PgCommitCutter(QString targetHost, quint16 targetPort, QObject* parent = nullptr);
    ~PgCommitCutter() override;

    bool listen();
    quint16 port() const { return m_server.serverPort(); }
    // Cuts the next COMMIT of the connection that sends `marker`.
    void arm(const QByteArray& marker) { m_marker = marker; }
    // COMMITs forwarded whose reply was dropped.
    int cutCommits() const { return m_cut; }

private:
    struct Link;
    void accept();
    void fromClient(Link& link);
    void fromServer(Link& link);
    void cut(Link& link);

    QTcpServer m_server;
    QString m_host;
    quint16 m_port;
    QByteArray m_marker;
    int m_cut = 0;
    std::vector<std::unique_ptr<Link>> m_links;
};

} // namespace confab::test
