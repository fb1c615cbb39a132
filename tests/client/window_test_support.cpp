#include "window_test_support.h"
#include "client_app_fixture.h"

#include <QImage>
#include <QQmlContext>
#include <QQmlExpression>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

namespace confab::test {

QQuickItem* visibleItemNamed(QQuickItem* root, const QString& name)
{
    const auto children = root->childItems();
    for (QQuickItem* child : children) {
        if (child->objectName() == name && child->isVisible())
            return child;
        if (QQuickItem* found = visibleItemNamed(child, name))
            return found;
    }
    return nullptr;
}

QQuickItem* itemWithText(QQuickItem* root, const QString& name, const QString& text)
{
    const auto children = root->childItems();
    for (QQuickItem* child : children) {
        if (child->objectName() == name && child->property("text").toString() == text)
            return child;
        if (QQuickItem* found = itemWithText(child, name, text))
            return found;
    }
    return nullptr;
}

int countVisible(QQuickItem* root, const QString& name, const std::function<bool(QQuickItem*)>& also)
{
    int n = 0;
    const auto children = root->childItems();
    for (QQuickItem* child : children) {
        if (!child->isVisible())
            continue;
        if (child->objectName() == name && (!also || also(child)))
            ++n;
        n += countVisible(child, name, also);
    }
    return n;
}

QObject* windowTheme(QQuickWindow* window)
{
    QQmlExpression themeOf(qmlContext(window), window, QStringLiteral("Theme"));
    return themeOf.evaluate().value<QObject*>();
}

void clickItem(QQuickWindow* window, QQuickItem* item)
{
    const QPointF centre = item->mapToScene(QPointF(item->width() / 2, item->height() / 2));
    QTest::mouseClick(window, Qt::LeftButton, Qt::NoModifier, centre.toPoint());
}

bool saveScreenshot(QQuickWindow* window, const QString& stem, int settleMs)
{
    QTest::qWait(settleMs);
    return saveArtifact(window->grabWindow(), stem);
}

bool saveArtifact(const QImage& image, const QString& stem)
{
    const QString path = artifactsDir(QStringLiteral(CONFAB_DEFAULT_ARTIFACTS)) + QLatin1Char('/') + stem +
                         QStringLiteral(".png");
    if (image.isNull() || !image.save(path)) {
        qWarning("could not save %s", qPrintable(path));
        return false;
    }
    qInfo("saved %s", qPrintable(path));
    return true;
}

bool saveThemedScreenshots(QQuickWindow* window, const QString& stem)
{
    QObject* theme = windowTheme(window);
    if (!theme) {
        qWarning("no Theme in the window's context");
        return false;
    }
    bool saved = true;
    for (const QString& mode : {QStringLiteral("light"), QStringLiteral("dark")}) {
        theme->setProperty("mode", mode);
        saved = saveScreenshot(window, stem + QLatin1Char('-') + mode) && saved;
    }
    theme->setProperty("mode", QStringLiteral("light"));
    return saved;
}

} // namespace confab::test
