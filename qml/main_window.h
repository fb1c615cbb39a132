#pragma once

#include <QIcon>

class QQmlApplicationEngine;
class QQuickWindow;

namespace confab::client {
class ChatClient;
}

namespace confab::ui {

// The application window, as `confab` shows it: the Basic Controls style,
// Confab.Ui's Main.qml with `client` as its required property. Shared by
// main() and the UI smoke test so both run the same path. Returns the
// window, or nullptr when Main.qml did not load (the errors are logged).
QQuickWindow* loadMainWindow(QQmlApplicationEngine& engine, client::ChatClient* client);

// Registers the two static QML modules with the engine's type system. Called
// by loadMainWindow(); tests that build their own engine call it first.
void importStaticModules();

// The app icon (a chat bubble), painted: the SVG in resources/ is for
// desktop files, and Qt here has no SVG image plugin.
QIcon appIcon();

} // namespace confab::ui
