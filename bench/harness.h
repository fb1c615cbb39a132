#pragma once

#include "load_engine.h"
#include "population.h"
#include "proc_stats.h"
#include "report.h"
#include "server_process.h"

#include <QCommandLineParser>
#include <QUrl>

#include <functional>
#include <memory>

namespace confab::bench {

// What every scenario shares: where the server is (--url, or --spawn and then
// the tool owns it), how users come to exist, the server's /proc samples, the
// measured window, and the lines about the machine every report carries.
class Harness {
public:
    explicit Harness(const QCommandLineParser& args);

    // A scenario knob: --name's value, else the scenario's own default.
    double number(const QString& name, double fallback) const;
    QString text(const QString& name, const QString& fallback) const;

    // Creates the users and rooms. Spawned: seeded into the SQLite file, then
    // `beforeStart` (more seeding), then the server starts. --url: registered
    // over the protocol (slow: argon2id), and `beforeStart` is not possible.
    Result<Population>
    prepare(const PopulationSpec& spec,
            const std::function<Result<void>(const QString&, const Population&)>& beforeStart = {});

    TrafficConfig trafficConfig() const;
    // The server's CPU and RSS; with --server-pid repeated, the instances' sum.
    ProcSample sampleServer() const;
    bool spawned() const { return m_server != nullptr; }
    qint64 serverPid() const { return m_serverPid; }
    // More arguments for the server prepare() spawns (after --server-arg's).
    void addServerArguments(const QStringList& arguments) { m_extraServerArgs += arguments; }
    QUrl url() const { return m_url; }

    // Machine, server and tool lines; call last.
    void describe(Report& report, double toolCpuSeconds, double wallSeconds) const;
    // Adds the traffic figures shared by fanout, chatmix, ingest and history.
    static void addTraffic(Report& report, const TrafficResult& r, const TrafficConfig& c);

private:
    const QCommandLineParser& m_args;
    std::unique_ptr<ServerProcess> m_server;
    QUrl m_url;
    QList<QUrl> m_urls; // every --url: instances of one cluster
    qint64 m_serverPid = 0;
    QList<qint64> m_otherServerPids; // --server-pid after the first
    QStringList m_extraServerArgs;
};

} // namespace confab::bench
