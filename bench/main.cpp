// confab-bench: the load tool of docs (bench/README.md). Only argument
// parsing and dispatch live here; the scenarios are in scenario*.cpp.
#include "harness.h"
#include "scenarios.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QLoggingCategory>

#include <sys/resource.h>

#include <cstdio>
#include <map>

using namespace confab::bench;

namespace {

// The hard limit here is 20,000 open files; a connection is one of them.
void raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

QCommandLineOption opt(const char* name, const char* help, const char* value = nullptr)
{
    return value ? QCommandLineOption(QString::fromLatin1(name), QString::fromUtf8(help),
                                      QString::fromLatin1(value))
                 : QCommandLineOption(QString::fromLatin1(name), QString::fromUtf8(help));
}

} // namespace

int main(int argc, char** argv)
{
    // Qt's UNIX event dispatcher rather than glib's: both poll every socket
    // of a thread on each loop iteration, and glib's costs about 1.4x more
    // (measured here: 0.78M vs 0.55M broadcasts/s on one core), with hundreds
    // of sockets per worker thread.
    if (!qEnvironmentVariableIsSet("QT_NO_GLIB"))
        qputenv("QT_NO_GLIB", "1");
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("confab-bench"));
    raiseFileLimit();
    // Seeding runs the server's store in this process; its info lines are not the report.
    QLoggingCategory::setFilterRules(QStringLiteral("confab.*.info=false"));

    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Load generator for confab-server (bench/README.md).\n"
                       "Scenarios: fanout | chatmix | ingest | connections | history | flood | soak"));
    p.addHelpOption();
    p.addPositionalArgument(QStringLiteral("scenario"),
                            QStringLiteral("fanout, chatmix, ingest, connections, history, flood or soak"));
    p.addOptions({
        opt("url",
            "A running server: ws://HOST:PORT (users are registered over the protocol). Repeat it for "
            "instances of one cluster: connections go to each in turn",
            "url"),
        opt("spawn", "Start this confab-server binary on a temporary SQLite file (users seeded directly)",
            "path"),
        opt("server-arg", "Extra argument for the spawned server (repeatable)", "arg"),
        opt("server-pid",
            "Sample this server's CPU and RSS from /proc (automatic with --spawn); repeated, their sum",
            "pid"),
        opt("duration", "Measured seconds after warm-up (default 3)", "s"),
        opt("warmup", "Seconds of traffic before measuring (default 1)", "s"),
        opt("threads", "Worker threads of the tool, each with its own event loop (default 2)", "n"),
        opt("concurrency", "Handshakes in flight per worker thread (default 64)", "n"),
        opt("json", "Print the report as JSON on stdout"),
        opt("rate",
            "fanout: msg/s of the sender (100); chatmix: total msg/s (200); ingest: open-loop msg/s instead "
            "of --window",
            "n"),
        opt("content-bytes", "Message size (default 120)", "n"),
        opt("text",
            "What messages say: filler (\"bench xxx...\", the default) or words (chat-like English and "
            "Chinese words, many distinct search terms)",
            "kind"),
        opt("members", "fanout: members of the room, all connected (default 1000)", "n"),
        opt("users",
            "chatmix/history: users (default 200); connections: distinct users (default = --connections)",
            "n"),
        opt("groups", "chatmix: groups (default users/20)", "n"),
        opt("group-size", "chatmix: members per group (default 20)", "n"),
        opt("dms", "chatmix: DM pairs (default users/2)", "n"),
        opt("dm-share", "chatmix: share of sends that go to a DM (default 0.2)", "x"),
        opt("senders", "ingest: sending connections, each alone in its room (default 4)", "n"),
        opt("window", "ingest: unacked sends per sender (default 32)", "n"),
        opt("connections", "connections: how many to open (default 1000)", "n"),
        opt("connect-timeout", "Seconds to wait for every connection to authenticate (default 300)", "s"),
        opt("hold", "connections: seconds to hold them idle (default 2)", "s"),
        opt("messages", "history: messages to seed (default 20000)", "n"),
        opt("rooms", "history: rooms the messages are spread over (default 10)", "n"),
        opt("pages", "history: page fetches of each kind (default 200)", "n"),
        opt("searches", "history: rounds of the search queries (default 10)", "n"),
        opt("chatmix-rate", "history: run chatmix at this msg/s meanwhile (default 0: idle server)", "n"),
        opt("kind",
            "flood: ping (never reading, not signed in; --duration s, default 9), typing, mark_read or "
            "search "
            "(mark_read and 1-2 character searches by turns)",
            "kind"),
        opt("frames", "flood: frames of the typing (200000), mark_read (30000) or search (4000) flood", "n"),
        opt("flood-timeout", "flood: seconds to wait for the flood to be answered (default 300)", "s"),
        opt("sample", "soak: seconds between samples of the server (default 10)", "s"),
        opt("churn", "soak: share of the connections that drop and resume each minute (default 0.01)", "x"),
        opt("flood-every", "soak: seconds between two floods (default 30)", "s"),
        opt("band", "soak: how far RSS may move after warm-up and still be flat (default 0.10)", "x"),
        opt("chart", "soak: write the samples as an SVG chart here", "path"),
        opt("ops-port", "soak with --url: the server's operations port, for its store queue", "port"),
        opt("default-limits",
            "With --spawn: keep the server's default per-request rate limits (otherwise lifted, like "
            "--send-rate, so that the server's work is what gets measured)"),
    });
    p.process(app);

    const QString scenario = p.positionalArguments().value(0);
    const std::map<QString, bool (*)(Harness&, Report&)> scenarios = {
        {QStringLiteral("fanout"), runFanout},   {QStringLiteral("chatmix"), runChatmix},
        {QStringLiteral("ingest"), runIngest},   {QStringLiteral("connections"), runConnections},
        {QStringLiteral("history"), runHistory}, {QStringLiteral("flood"), runFlood},
        {QStringLiteral("soak"), runSoak},
    };
    const auto it = scenarios.find(scenario);
    if (it == scenarios.end()) {
        std::fprintf(
            stderr,
            "confab-bench: name a scenario (fanout, chatmix, ingest, connections, history, flood, soak)\n");
        return 2;
    }
    Harness harness(p);
    Report report(scenario);
    const bool ok = it->second(harness, report);
    const QByteArray out = p.isSet(QStringLiteral("json")) ? report.json() : report.text().toUtf8();
    std::fwrite(out.constData(), 1, size_t(out.size()), stdout);
    std::fflush(stdout);
    return ok ? 0 : 1;
}
