// confab: the desktop client. `confab [--server ws://HOST:PORT] [--profile NAME]`
// A profile keeps its own settings and keychain entry, so two instances for
// two users can run side by side.
#include "chat_client.h"
#include "main_window.h"
#include "server_address.h"
#include "tray.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFont>
#include <QQmlApplicationEngine>
#include <QQuickWindow>
#include <QRegularExpression>

#include <cstdio>

int main(int argc, char* argv[])
{
    // QApplication, not QGuiApplication: the tray icon and its menu are widgets.
    QApplication app(argc, argv);
    QGuiApplication::setApplicationName(QStringLiteral("confab"));
    QGuiApplication::setApplicationDisplayName(QStringLiteral("Confab"));
    QGuiApplication::setOrganizationName(QStringLiteral("Confab"));
    QGuiApplication::setApplicationVersion(QStringLiteral("0.1.0"));
    QGuiApplication::setDesktopFileName(QStringLiteral("confab"));
    QGuiApplication::setWindowIcon(confab::ui::appIcon());
    // The system's family at the theme's body size (Theme.fontSize, in
    // pixels like every size the QML sets), so controls that set no size
    // match the text around them.
    QFont font = QGuiApplication::font();
    font.setPixelSize(14);
    QGuiApplication::setFont(font);

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Confab team chat"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption serverOption(
        QStringLiteral("server"),
        QStringLiteral("The server, e.g. ws://192.168.1.10:7860 or wss://chat.example.com."),
        QStringLiteral("url"));
    const QCommandLineOption profileOption(
        QStringLiteral("profile"),
        QStringLiteral("Keep settings and the stored login under this name (default: default)."),
        QStringLiteral("name"), QStringLiteral("default"));
    parser.addOption(serverOption);
    parser.addOption(profileOption);
    parser.process(app);

    confab::client::ChatClient::Options options;
    options.profile = parser.value(profileOption);
    static const QRegularExpression profileName(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    if (!profileName.match(options.profile).hasMatch() || options.profile.startsWith(QLatin1Char('.'))) {
        std::fprintf(stderr, "confab: --profile takes letters, digits, '_', '-' and '.'\n");
        return 2;
    }
    if (parser.isSet(serverOption)) {
        options.server = confab::client::parseServerAddress(parser.value(serverOption));
        if (!options.server.isValid()) {
            std::fprintf(stderr, "confab: --server takes ws://HOST:PORT or wss://HOST[:PORT]\n");
            return 2;
        }
    }

    // The client outlives the engine (declared first, destroyed last).
    confab::client::ChatClient client(options);
    QQmlApplicationEngine engine;
    QQuickWindow* window = confab::ui::loadMainWindow(engine, &client);
    if (!window)
        return 1;
    confab::ui::Tray tray(client.attention(), window);
    // With a tray, closing the window may only hide it (Main.qml decides);
    // quitting is then the tray menu's, or the window's when that is off.
    app.setQuitOnLastWindowClosed(!tray.isVisible());
    return app.exec();
}
