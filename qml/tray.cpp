#include "tray.h"

#include "attention_controller.h"
#include "main_window.h"

#include <QPainter>
#include <QWindow>

namespace confab::ui {

Tray::Tray(client::AttentionController* attention, QWindow* window, QObject* parent)
    : QObject(parent)
    , m_attention(attention)
    , m_window(window)
    , m_base(appIcon())
{
    m_menu.addAction(tr("Show Confab"), this, &Tray::showWindow);
    m_menu.addSeparator();
    m_menu.addAction(tr("Quit"), m_attention, &client::AttentionController::quitRequested);
    m_icon.setContextMenu(&m_menu);
    connect(&m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick)
            showWindow();
    });
    connect(m_attention, &client::AttentionController::unreadTotalChanged, this, &Tray::update);
    update();
    if (QSystemTrayIcon::isSystemTrayAvailable())
        m_icon.show();
    m_attention->setTrayAvailable(m_icon.isVisible());
}

QString Tray::badgeText(int count)
{
    if (count <= 0)
        return {};
    return count > 99 ? QStringLiteral("99+") : QString::number(count);
}

QString Tray::toolTipFor(int count)
{
    return count <= 0 ? tr("Confab") : tr("Confab — %n unread", nullptr, count);
}

QIcon Tray::badgedIcon(const QIcon& base, int count)
{
    const QString text = badgeText(count);
    if (text.isEmpty())
        return base;
    QIcon icon;
    for (int size : {16, 22, 32, 48, 64}) {
        QPixmap pixmap = base.pixmap(size, size);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        const qreal d = size * (text.size() > 2 ? 0.72 : 0.6);
        const QRectF disc(size - d, 0, d, d);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0xd9, 0x30, 0x25));
        p.drawEllipse(disc);
        QFont font = p.font();
        font.setBold(true);
        font.setPixelSize(qMax(6, int(d * (text.size() > 2 ? 0.42 : 0.6))));
        p.setFont(font);
        p.setPen(Qt::white);
        p.drawText(disc, Qt::AlignCenter, text);
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

void Tray::update()
{
    const int count = m_attention->unreadTotal();
    m_icon.setIcon(badgedIcon(m_base, count));
    m_icon.setToolTip(toolTipFor(count));
}

void Tray::showWindow()
{
    if (!m_window)
        return;
    m_window->show();
    m_window->raise();
    m_window->requestActivate();
}

} // namespace confab::ui
