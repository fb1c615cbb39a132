#pragma once

// What the whole-window tests (tst_*_window) share: finding items in the
// running window, clicking them, and saving screenshots, light and dark, to
// $CONFAB_TEST_ARTIFACTS (default <build>/test-artifacts) to look at.

#include <QString>

#include <functional>

class QImage;
class QQuickItem;
class QObject;
class QQuickWindow;

namespace confab::test {

// The first visible item called `name` under `root`, depth first.
QQuickItem* visibleItemNamed(QQuickItem* root, const QString& name);
// The first item called `name` whose `text` is `text`, visible or not.
QQuickItem* itemWithText(QQuickItem* root, const QString& name, const QString& text);
// How many visible items under `root` are called `name` (and pass `also`).
int countVisible(QQuickItem* root, const QString& name, const std::function<bool(QQuickItem*)>& also = {});
// A left click at the item's centre.
void clickItem(QQuickWindow* window, QQuickItem* item);

// The window's Theme singleton (its `mode` switches light and dark), or null.
QObject* windowTheme(QQuickWindow* window);

// Lets layouts, delegates and popups settle for `settleMs`, then saves the
// window as <artifacts>/<stem>.png. False (with a warning) when it could not.
bool saveScreenshot(QQuickWindow* window, const QString& stem, int settleMs = 400);
// Saves `image` as <artifacts>/<stem>.png (a picture made by the test).
bool saveArtifact(const QImage& image, const QString& stem);
// The same in both themes, as <stem>-light.png and <stem>-dark.png; the
// window is left in the light theme.
bool saveThemedScreenshots(QQuickWindow* window, const QString& stem);

} // namespace confab::test
