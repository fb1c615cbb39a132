// confab-server: parses the command line and runs ChatServer until SIGINT/SIGTERM.
#include "admin/backup_commands.h"
#include "chat_server.h"
#include "logging.h"
#include "net/epoll_event_dispatcher.h"
#include "server_config.h"
#include "signal_watcher.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char* argv[])
{
    // `confab-server admin <command> ...`: maintenance commands, no event loop.
    // TEMPORARY dispatch of the backup commands: folded into the admin
    // command table when the branches merge.
    if (argc > 1 && qstrcmp(argv[1], "admin") == 0) {
        QCoreApplication app(argc, argv);
        QCoreApplication::setApplicationName(QStringLiteral("confab-server"));
        const QStringList arguments = QCoreApplication::arguments();
        if (arguments.size() > 2 && confab::server::admin::isBackupCommand(arguments.at(2))) {
            confab::server::installLogHandler(confab::server::LogFormat::Text);
            return confab::server::admin::runBackupCommand(arguments.at(2), arguments.mid(3));
        }
        std::fprintf(stderr, "confab-server admin: unknown command %s\ncommands:\n%s",
                     argc > 2 ? argv[2] : "", qPrintable(confab::server::admin::backupCommandsUsage()));
        return 2;
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
    confab::server::ChatServer server(config.value());
    if (auto started = server.start(); !started) {
        std::fprintf(stderr, "confab-server: %s\n", qPrintable(started.error().message));
        return 1;
    }
    std::printf("listening on %s\n", qPrintable(server.serverUrl().toString()));
    std::fflush(stdout);

    confab::server::SignalWatcher watcher;
    QObject::connect(&watcher, &confab::server::SignalWatcher::terminationRequested, &app, [&](int signal) {
        qCInfo(lcServer) << "signal" << signal << "- shutting down";
        server.stop();
        QCoreApplication::quit();
    });
    return app.exec();
}
