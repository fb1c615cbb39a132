// The certificate dialog in the whole client window (Main.qml through
// loadMainWindow(), offscreen), against a real TLS front with openssl-made
// certificates relaying to a real in-process server: first use shows the
// fingerprint and Trust signs in; a replaced certificate shows the red
// warning with both fingerprints, and the "Accept the new certificate"
// button, clicked with the mouse, pins the new one and signs in; on a
// reconnect while chatting it shows over the chat, and Cancel signs out. Saves
// screenshots of both to $CONFAB_TEST_ARTIFACTS (default <build>/test-artifacts).
#include "client_app_fixture.h"
#include "client_settings.h"
#include "main_window.h"
#include "tls_front.h"

#include <QDir>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQmlExpression>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTemporaryDir>
#include <QTest>

using namespace confab::test;
using confab::client::ChatClient;

namespace {} // namespace

class TestClientCertificateDialog : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void trustOnFirstUseThenAcceptAChangedCertificate();

private:
    QObject* find(const char* name) const { return m_window->findChild<QObject*>(QString::fromLatin1(name)); }
    QString textOf(const char* name) const { return find(name)->property("text").toString(); }
    bool isShown(const char* name) const
    {
        auto* item = qobject_cast<QQuickItem*>(find(name));
        return item && item->isVisible();
    }
    void click(const char* name);
    void screenshot(const QString& name);

    QQuickWindow* m_window = nullptr;
};

void TestClientCertificateDialog::initTestCase()
{
    ClientFixture::prepareEnvironment();
}

void TestClientCertificateDialog::click(const char* name)
{
    auto* item = qobject_cast<QQuickItem*>(find(name));
    QVERIFY2(item && item->isVisible(), name);
    QTest::mouseClick(m_window, Qt::LeftButton, {},
                      item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
}

void TestClientCertificateDialog::screenshot(const QString& name)
{
    QTest::qWait(400); // the popup's enter transition; a frame is rendered
    const QImage image = m_window->grabWindow();
    QVERIFY2(!image.isNull(), qPrintable(name));
    const QString path = artifactsDir(QStringLiteral(CONFAB_DEFAULT_ARTIFACTS)) + QLatin1Char('/') + name +
                         QStringLiteral(".png");
    QVERIFY2(image.save(path), qPrintable(path));
    qInfo("saved %s", qPrintable(path));
}

void TestClientCertificateDialog::trustOnFirstUseThenAcceptAChangedCertificate()
{
    TestServer server;
    QVERIFY(server.start());
    QVERIFY(server.user(QStringLiteral("mei")));
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const auto first = TestCertificate::selfSigned(dir.path(), QStringLiteral("confab-lan"));
    const auto second = TestCertificate::selfSigned(dir.path(), QStringLiteral("confab-lan-new"));
    QVERIFY2(first && second, "openssl could not make the test certificates");
    TlsFront front(server.url());
    QVERIFY(front.listen(*first));

    ChatClient client(ClientFixture::options(QStringLiteral("certificate-dialog")));
    QQmlApplicationEngine engine;
    m_window = confab::ui::loadMainWindow(engine, &client);
    QVERIFY(m_window);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_window->resize(900, 700);
    QObject* dialog = find("certificateDialog");
    QVERIFY(dialog);
    QVERIFY(!dialog->property("opened").toBool());

    // First use: the fingerprint to compare, Trust and Cancel; no warning.
    client.account()->signIn(front.url().toString(), QStringLiteral("mei"), QStringLiteral("correct horse"));
    QTRY_VERIFY(dialog->property("opened").toBool());
    QCOMPARE(textOf("presentedFingerprint"), groupedFingerprint(first->fingerprint()));
    QVERIFY(!isShown("certificateChangedWarning"));
    QVERIFY(!isShown("previousFingerprint"));
    QVERIFY(!isShown("acceptNewCertificateButton"));
    QVERIFY(isShown("trustCertificateButton"));
    QCOMPARE(client.account()->connectionState(), confab::client::Session::State::AwaitingTrust);
    screenshot(QStringLiteral("certificate-first-use"));
    QCOMPARE(front.accepted(), 0);
    click("trustCertificateButton");
    QTRY_VERIFY_WITH_TIMEOUT(client.account()->signedIn(), 10000);
    QTRY_VERIFY(!dialog->property("opened").toBool());
    client.account()->signOut();
    QTRY_VERIFY(find("loginPage"));

    // The server now presents another certificate: the warning, both
    // fingerprints, and the explicit accept.
    QVERIFY(front.restart(*second));
    client.account()->signIn(front.url().toString(), QStringLiteral("mei"), QStringLiteral("correct horse"));
    QTRY_VERIFY(dialog->property("opened").toBool());
    QVERIFY(isShown("certificateChangedWarning"));
    QCOMPARE(textOf("previousFingerprint"), groupedFingerprint(first->fingerprint()));
    QCOMPARE(textOf("presentedFingerprint"), groupedFingerprint(second->fingerprint()));
    QVERIFY(!isShown("trustCertificateButton"));
    QVERIFY(isShown("acceptNewCertificateButton"));
    QVERIFY(isShown("cancelCertificateButton"));
    const int acceptedBefore = front.accepted();
    screenshot(QStringLiteral("certificate-changed"));
    QQmlExpression themeOf(qmlContext(m_window), m_window, QStringLiteral("Theme"));
    auto* theme = themeOf.evaluate().value<QObject*>();
    QVERIFY(theme);
    theme->setProperty("mode", QStringLiteral("dark"));
    screenshot(QStringLiteral("certificate-changed-dark"));
    theme->setProperty("mode", QStringLiteral("system"));
    QCOMPARE(front.accepted(), acceptedBefore);

    click("acceptNewCertificateButton");
    QTRY_VERIFY_WITH_TIMEOUT(client.account()->signedIn(), 10000);
    QTRY_VERIFY(!dialog->property("opened").toBool());
    QCOMPARE(
        confab::client::ClientSettings(QStringLiteral("certificate-dialog")).pinnedFingerprint(front.url()),
        second->fingerprint());

    // While chatting, the server comes back with another certificate: the
    // reconnect stops at the same dialog, over the chat. Cancel: back to the
    // login page, which says why.
    client.session()->setReconnectDelays(50, 200);
    QTRY_VERIFY(find("chatPage"));
    QVERIFY(front.restart(*first));
    QTRY_VERIFY(dialog->property("opened").toBool());
    QVERIFY(find("chatPage"));
    QVERIFY(isShown("certificateChangedWarning"));
    QCOMPARE(textOf("previousFingerprint"), groupedFingerprint(second->fingerprint()));
    QCOMPARE(textOf("presentedFingerprint"), groupedFingerprint(first->fingerprint()));
    QCOMPARE(client.account()->connectionState(), confab::client::Session::State::AwaitingTrust);
    screenshot(QStringLiteral("certificate-changed-while-chatting"));
    click("cancelCertificateButton");
    QTRY_VERIFY(!dialog->property("opened").toBool());
    QTRY_VERIFY(find("loginPage"));
    QVERIFY(!client.account()->signedIn());
    QVERIFY(!client.account()->busy());
    QCOMPARE(client.account()->connectionState(), confab::client::Session::State::Disconnected);
    QVERIFY2(client.account()->errorMessage().contains(QLatin1String("has changed")),
             qPrintable(client.account()->errorMessage()));
    screenshot(QStringLiteral("certificate-cancelled"));
}

QTEST_MAIN(TestClientCertificateDialog)
#include "tst_client_certificate_dialog.moc"
