// discovery_probe: the client's browser as a command-line program, for the
// network-namespace test (netns_discovery.sh), which runs it in the other
// namespace than the server. Prints one line per event:
//   found<TAB>name<TAB>host<TAB>port<TAB>tls<TAB>fingerprint<TAB>url<TAB>ttl
//   gone<TAB>name
// --expect NAME: exit 0 once NAME was found (with --wait-gone: once it is
// gone again), 1 at the timeout. --expect-none: exit 0 if nothing was found
// by the timeout, 1 at the first server found.

#include "discovery/discovery_browser.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using confab::client::DiscoveredServer;
using confab::client::DiscoveryBrowser;

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    const QCommandLineOption expect(QStringLiteral("expect"), QStringLiteral("server name to wait for"),
                                    QStringLiteral("name"));
    const QCommandLineOption waitGone(QStringLiteral("wait-gone"),
                                      QStringLiteral("then wait for its goodbye"));
    const QCommandLineOption expectNone(QStringLiteral("expect-none"),
                                        QStringLiteral("succeed if none is seen"));
    const QCommandLineOption timeout(QStringLiteral("timeout-ms"), QStringLiteral("give up after"),
                                     QStringLiteral("ms"), QStringLiteral("15000"));
    parser.addOptions({expect, waitGone, expectNone, timeout});
    parser.addHelpOption();
    parser.process(app);
    const QString wanted = parser.value(expect);
    const bool none = parser.isSet(expectNone);
    if (wanted.isEmpty() == !none) {
        std::fputs("discovery_probe: give --expect NAME or --expect-none\n", stderr);
        return 2;
    }

    DiscoveryBrowser browser;
    bool found = false;
    QSet<QString> printed;
    QObject::connect(&browser, &DiscoveryBrowser::serverSeen, [&](const DiscoveredServer& s) {
        if (!printed.contains(s.name)) {
            printed.insert(s.name);
            std::printf("found\t%s\t%s\t%d\t%d\t%s\t%s\t%d\n", qPrintable(s.name),
                        qPrintable(s.address.toString()), int(s.port), int(s.tls), qPrintable(s.fingerprint),
                        qPrintable(s.url().toString()), s.ttlSeconds);
            std::fflush(stdout);
        }
        if (none)
            QCoreApplication::exit(1);
        if (s.name == wanted) {
            found = true;
            if (!parser.isSet(waitGone))
                QCoreApplication::exit(0);
        }
    });
    QObject::connect(&browser, &DiscoveryBrowser::serverGone, [&](const QString& name) {
        std::printf("gone\t%s\n", qPrintable(name));
        std::fflush(stdout);
        printed.remove(name);
        if (found && name == wanted)
            QCoreApplication::exit(0);
    });
    if (auto started = browser.start(); !started) {
        std::fprintf(stderr, "discovery_probe: %s\n", qPrintable(started.error().message));
        return 2;
    }
    QTimer::singleShot(parser.value(timeout).toInt(), &app, [&] {
        std::fputs(none ? "timeout: nothing found\n" : "timeout\n", stdout);
        std::fflush(stdout);
        QCoreApplication::exit(none ? 0 : 1);
    });
    return app.exec();
}
