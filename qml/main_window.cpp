#include "main_window.h"

#include "avatar_image_provider.h"
#include "chat_client.h"
#include "file_image_provider.h"

#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QQmlApplicationEngine>
#include <QQmlExtensionPlugin>
#include <QQuickStyle>
#include <QQuickWindow>

// Both QML modules are static libraries: their plugins are linked in and
// registered here rather than loaded from disk.
Q_IMPORT_QML_PLUGIN(Confab_ClientPlugin)
Q_IMPORT_QML_PLUGIN(Confab_UiPlugin)

namespace confab::ui {

void importStaticModules()
{
    // Nothing to do at run time: the Q_IMPORT_QML_PLUGIN lines above take
    // effect when this file is linked, which calling this function ensures.
}

QQuickWindow* loadMainWindow(QQmlApplicationEngine& engine, client::ChatClient* client)
{
    importStaticModules();
    QQuickStyle::setStyle(QStringLiteral("Basic"));
    // Static modules keep their qmldir in the resources, under "/" + URI.
    engine.addImportPath(QStringLiteral("qrc:/"));
    engine.addImageProvider(QStringLiteral("avatar"), new client::AvatarImageProvider); // the engine owns it
    engine.addImageProvider(QStringLiteral("confabfile"), new client::FileImageProvider);
    engine.setInitialProperties({{QStringLiteral("client"), QVariant::fromValue(client)}});
    // Qt 6.4 has no loadFromModule(); a module's files live under "/" + its URI.
    engine.load(QUrl(QStringLiteral("qrc:/Confab/Ui/Main.qml")));
    const auto roots = engine.rootObjects();
    return roots.isEmpty() ? nullptr : qobject_cast<QQuickWindow*>(roots.constFirst());
}

QIcon appIcon()
{
    QIcon icon;
    for (int size : {16, 32, 48, 64, 128, 256}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.scale(size / 256.0, size / 256.0);
        QLinearGradient gradient(0, 0, 0, 256);
        gradient.setColorAt(0, QColor(0x3b, 0x8c, 0xf0));
        gradient.setColorAt(1, QColor(0x1d, 0x5f, 0xc0));
        p.setPen(Qt::NoPen);
        p.setBrush(gradient);
        p.drawRoundedRect(QRectF(8, 8, 240, 240), 56, 56);
        QPainterPath bubble;
        bubble.addRoundedRect(QRectF(40, 72, 176, 104), 24, 24);
        QPainterPath tail;
        tail.moveTo(92, 170);
        tail.lineTo(92, 208);
        tail.lineTo(136, 170);
        tail.closeSubpath();
        p.setBrush(Qt::white);
        p.drawPath(bubble.united(tail));
        const QColor dots[] = {QColor(0x1d, 0x5f, 0xc0), QColor(0x1d, 0x5f, 0xc0), QColor(0xf0, 0x8c, 0x3b)};
        for (int i = 0; i < 3; ++i) {
            p.setBrush(dots[i]);
            p.drawEllipse(QPointF(92 + 36 * i, 124), 12, 12);
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace confab::ui
