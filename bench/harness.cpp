#include "harness.h"

#include <QThread>

#include <cstdio>

namespace confab::bench {

Harness::Harness(const QCommandLineParser& args)
    : m_args(args)
{
    const QStringList pids = args.values(QStringLiteral("server-pid"));
    for (const QString& pid : pids)
        m_otherServerPids.append(pid.toLongLong());
    m_serverPid = m_otherServerPids.isEmpty() ? 0 : m_otherServerPids.takeFirst();
    for (const QString& url : args.values(QStringLiteral("url")))
        m_urls.append(QUrl(url));
    m_url = m_urls.value(0);
}

ProcSample Harness::sampleServer() const
{
    ProcSample sum = sampleProcess(m_serverPid);
    for (qint64 pid : m_otherServerPids) {
        const ProcSample one = sampleProcess(pid);
        sum.valid = sum.valid && one.valid;
        sum.cpuSeconds += one.cpuSeconds;
        sum.rssKiB += one.rssKiB;
    }
    return sum;
}

double Harness::number(const QString& name, double fallback) const
{
    return m_args.isSet(name) ? m_args.value(name).toDouble() : fallback;
}

QString Harness::text(const QString& name, const QString& fallback) const
{
    return m_args.isSet(name) ? m_args.value(name) : fallback;
}

Result<Population>
Harness::prepare(const PopulationSpec& spec,
                 const std::function<Result<void>(const QString&, const Population&)>& beforeStart)
{
    const QString binary = m_args.value(QStringLiteral("spawn"));
    if (binary.isEmpty()) {
        if (!m_url.isValid() || m_url.isEmpty())
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("give --url ws://HOST:PORT or --spawn PATH"));
        if (beforeStart)
            return makeError(ErrorCode::BadRequest,
                             QStringLiteral("this scenario seeds the database: use --spawn PATH"));
        std::fprintf(stderr, "registering %d users over the protocol (argon2id: ~15/s)...\n", spec.users);
        return registerPopulation(m_url, spec);
    }
    m_server = std::make_unique<ServerProcess>();
    auto pop = seedPopulation(m_server->databasePath(), spec);
    if (!pop)
        return pop.error();
    if (beforeStart) {
        if (auto seeded = beforeStart(m_server->databasePath(), *pop); !seeded)
            return seeded.error();
    }
    if (auto started =
            m_server->start(binary, m_args.values(QStringLiteral("server-arg")) + m_extraServerArgs,
                            !m_args.isSet(QStringLiteral("default-limits")));
        !started)
        return started.error();
    m_url = m_server->url();
    m_serverPid = m_server->pid();
    std::fprintf(stderr, "spawned confab-server pid %lld on %s\n", static_cast<long long>(m_serverPid),
                 qPrintable(m_url.toString()));
    return pop;
}

TrafficConfig Harness::trafficConfig() const
{
    TrafficConfig c;
    c.url = m_url;
    if (m_urls.size() > 1)
        c.instanceUrls = m_urls;
    c.threads = int(number(QStringLiteral("threads"), 2));
    c.warmupSeconds = number(QStringLiteral("warmup"), 1);
    c.durationSeconds = number(QStringLiteral("duration"), 3);
    c.contentBytes = int(number(QStringLiteral("content-bytes"), 120));
    c.text =
        m_args.value(QStringLiteral("text")) == QLatin1String("words") ? TextKind::Words : TextKind::Filler;
    c.connectConcurrency = int(number(QStringLiteral("concurrency"), 64));
    return c;
}

void Harness::describe(Report& report, double toolCpuSeconds, double wallSeconds) const
{
    const QString s = QStringLiteral("setup");
    QStringList urls;
    for (const QUrl& url : m_urls.size() > 1 ? m_urls : QList<QUrl>{m_url})
        urls.append(url.toString());
    report.addText(s, QStringLiteral("url"), urls.join(QLatin1Char(' ')));
    if (m_server) {
        report.add(s, QStringLiteral("spawnedPid"), double(m_serverPid));
        report.addText(s, QStringLiteral("serverArgs"), m_server->arguments().join(QLatin1Char(' ')));
        report.addText(s, QStringLiteral("serverRequestLimits"),
                       m_args.isSet(QStringLiteral("default-limits"))
                           ? QStringLiteral("defaults")
                           : QStringLiteral("lifted (CONFAB_<KIND>_RATE/_BURST=1000000)"));
    }
    report.add(s, QStringLiteral("cores"), QThread::idealThreadCount());
    report.add(s, QStringLiteral("toolThreads"), number(QStringLiteral("threads"), 2));
    report.add(s, QStringLiteral("toolCpuSeconds"), toolCpuSeconds, QStringLiteral("s"));
    if (wallSeconds > 0)
        report.add(s, QStringLiteral("toolCpuCores"), toolCpuSeconds / wallSeconds,
                   QStringLiteral("cores busy"));
    report.note(QStringLiteral("the server and this tool share the machine's %1 cores: a core the tool "
                               "keeps busy is one the server does not get")
                    .arg(QThread::idealThreadCount()));
}

void Harness::addTraffic(Report& report, const TrafficResult& r, const TrafficConfig& c)
{
    const QString t = QStringLiteral("throughput"), d = QStringLiteral("delivery");
    const double secs = c.durationSeconds;
    report.add(t, QStringLiteral("sendsAckedPerSecond"), double(r.ackedInWindow) / secs,
               QStringLiteral("/s"));
    report.add(t, QStringLiteral("deliveriesPerSecond"), double(r.deliveriesInWindow) / secs,
               QStringLiteral("/s"));
    report.add(t, QStringLiteral("measuredSeconds"), secs, QStringLiteral("s (after warm-up)"));
    report.add(t, QStringLiteral("maxSendLagMs"), r.maxSendLagMs,
               QStringLiteral("ms behind the open-loop schedule"));
    report.addLatency(QStringLiteral("latency"), QStringLiteral("sendToAck"), r.ackLatency);
    report.addLatency(QStringLiteral("latency"), QStringLiteral("sendToDelivery"), r.deliveryLatency);
    report.add(d, QStringLiteral("sent"), double(r.sent));
    report.add(d, QStringLiteral("acked"), double(r.acked));
    report.add(d, QStringLiteral("errors"), double(r.errors));
    report.add(d, QStringLiteral("unacked"), double(r.unacked));
    report.add(d, QStringLiteral("deliveries"), double(r.deliveries));
    report.add(d, QStringLiteral("expectedDeliveries"), double(r.expectedDeliveries));
    report.add(d, QStringLiteral("lost"), double(r.lost));
    report.add(d, QStringLiteral("duplicates"), double(r.duplicates));
    report.add(d, QStringLiteral("disconnects"), double(r.disconnects));
    report.add(d, QStringLiteral("drainSeconds"), r.drainSeconds, QStringLiteral("s"));
    for (auto it = r.errorCodes.cbegin(); it != r.errorCodes.cend(); ++it)
        report.add(QStringLiteral("errorsByCode"), it.key(), double(it.value()));
    if (r.maxSendLagMs > 100)
        report.note(QStringLiteral("the sender fell %1 ms behind its schedule: the tool (or the shared CPU) "
                                   "could not keep the offered rate")
                        .arg(r.maxSendLagMs, 0, 'f', 0));
}

} // namespace confab::bench
