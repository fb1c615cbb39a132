// confab-server: parses the command line and runs ChatServer until SIGINT/SIGTERM;
// `confab-server admin ...` runs an administration command instead (server/admin/).
#include "admin/admin_command.h"
#include "base/logging.h"
#include "base/malloc_tuning.h"
#include "chat_server.h"
#include "discovery/discovery_announcer.h"
#include "net/epoll_event_dispatcher.h"
#include "server_config.h"
#include "signal_watcher.h"

#include <QCoreApplication>

#include <cstdio>
#include <memory>

int main(int argc, char* argv[])
{
    confab::server::tuneMallocForServer(); // before the first thread is started
    // `confab-server admin ...`: a short-lived tool, no epoll dispatcher needed.
    if (argc > 1 && qstrcmp(argv[1], "admin") == 0) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("confab-server"));
        QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));
        return confab::server::admin::runAdmin(QCoreApplication::arguments());
    }
    // Before the application object: the main thread (every socket) runs on
    // epoll. CONFAB_EVENT_DISPATCHER=qt keeps Qt's own, for comparisons.
    if (qEnvironmentVariable("CONFAB_EVENT_DISPATCHER") != QLatin1String("qt"))
        confab::server::installEpollDispatcher();
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("confab-server"));
    QCoreApplication::setOrganizationName(QStringLiteral("Confab"));
    QCoreApplication::setApplicationVersion(QStringLiteral("0.1.0"));

    auto config = confab::server::ServerConfig::fromArguments(QCoreApplication::arguments());
    if (!config) {
        std::fprintf(stderr, "confab-server: %s\n", qPrintable(config.error().message));
        return 2;
    }
    if (!config->exitText.isEmpty()) {
        std::fputs(qPrintable(config->exitText), stdout);
        return 0;
    }

    confab::server::installLogHandler(config->jsonLogs ? confab::server::LogFormat::Json
                                                       : confab::server::LogFormat::Text);
    // Before anything can report readiness: a SIGTERM right after the
    // "listening" line (supervisors, tests) must be a clean shutdown, not the
    // default action killing the process.
    confab::server::SignalWatcher watcher;
    confab::server::ChatServer server(config.value());
    std::unique_ptr<confab::server::DiscoveryAnnouncer> announcer;
    QObject::connect(&watcher, &confab::server::SignalWatcher::terminationRequested, &app, [&](int signal) {
        qCInfo(lcServer) << "signal" << signal << "- shutting down";
        if (announcer)
            announcer->stop(); // goodbye packets: clients drop the server now, not after its TTL
        server.stop();
        QCoreApplication::quit();
    });
    if (auto started = server.start(); !started) {
        std::fprintf(stderr, "confab-server: %s\n", qPrintable(started.error().message));
        return 1;
    }
    std::printf("listening on %s\n", qPrintable(server.serverUrl().toString()));
    if (!server.tlsFingerprint().isEmpty())
        std::printf("tls fingerprint SHA-256 %s\n", qPrintable(server.tlsFingerprint()));
    std::fflush(stdout);

    // LAN discovery: a failure to announce is logged, the server serves anyway.
    if (config->discovery) {
        confab::server::DiscoveryAnnouncer::Info info;
        info.name = config->serverName;
        info.port = quint16(server.serverUrl().port());
        info.tls = !server.tlsFingerprint().isEmpty();
        info.fingerprint = server.tlsFingerprint(); // clients still confirm it (docs/discovery.md)
        confab::server::DiscoveryAnnouncer::Transport transport;
        transport.rescanIntervalMs = config->discoveryRescanMs;
        announcer = std::make_unique<confab::server::DiscoveryAnnouncer>(info, config->host, transport);
        if (auto announced = announcer->start(); !announced)
            qCWarning(lcServer).noquote() << announced.error().message;
    }

    return app.exec();
}
