// The user's side of issue 6's "done when", run by tests/lan/lan_demo.sh in
// network namespace B while confab-server runs in A: the whole client window
// (offscreen) lists the server found on the LAN; a click fills the server
// field; a new user signs up and trusts the fingerprint the server printed;
// chats over wss:// with bob (an account the admin created); keeps chatting
// while the admin backs up; and is warned, with both fingerprints, when the
// server comes back with a replaced certificate, then accepts it and chats on.
//
// The script and this program take turns through files in $CONFAB_DEMO_DIR:
// the script writes fingerprint1, backup-done and fingerprint2; this program
// writes chatting, acked-before-backup and replace-now. Screenshots go to
// $CONFAB_TEST_ARTIFACTS (lan-*.png).
#include "client_app_fixture.h"
#include "main_window.h"
#include "message_list_model.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QTest>

using namespace confab::test;
using confab::client::ChatClient;
using confab::client::MessageListModel;

namespace {

QString demoFile(const QString& name)
{
    return qEnvironmentVariable("CONFAB_DEMO_DIR") + QLatin1Char('/') + name;
}

// The file's first line once the script has written it (empty until then).
QString readDemoFile(const QString& name)
{
    QFile file(demoFile(name));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readLine()).trimmed();
}

bool writeDemoFile(const QString& name, const QString& text)
{
    QFile file(demoFile(name) + QStringLiteral(".tmp"));
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8() + '\n') < 0)
        return false;
    file.close();
    return QFile::rename(file.fileName(), demoFile(name));
}

// Rows the server has acked or delivered (none still pending or failed).
int sentCount(const ChatClient& client)
{
    int sent = 0;
    for (const Row& row : rowsOf(client))
        sent += row.status == int(MessageListModel::Status::Sent) ? 1 : 0;
    return sent;
}

// Every row acked, and both sides show the same conversation.
bool settled(const ChatClient& a, const ChatClient& b)
{
    const int rows = int(rowsOf(a).size());
    return rows == rowsOf(b).size() && sentCount(a) == rows && sentCount(b) == rows;
}

bool hasContent(const ChatClient& client, const QString& content)
{
    const QList<Row> rows = rowsOf(client);
    return std::any_of(rows.cbegin(), rows.cend(), [&](const Row& row) { return row.content == content; });
}

} // namespace

class LanDemoClient : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void findTrustChatBackUpAndMeetAReplacedCertificate();

private:
    // By objectName, through QObject children and visual children (ListView
    // delegates are only the latter).
    QObject* find(const QString& name) const { return findIn(m_window->contentItem(), name); }
    static QObject* findIn(QQuickItem* item, const QString& name)
    {
        if (item->objectName() == name)
            return item;
        if (auto* child = item->findChild<QObject*>(name))
            return child;
        for (QQuickItem* child : item->childItems()) {
            if (QObject* found = findIn(child, name))
                return found;
        }
        return nullptr;
    }
    QString textOf(const char* name) const { return find(QLatin1String(name))->property("text").toString(); }
    void click(const QString& name);
    void screenshot(const QString& name);
    // bob, without a window: trusts `fingerprint` when asked about it.
    void trustAs(ChatClient& client, const QString& fingerprint);

    QQuickWindow* m_window = nullptr;
};

void LanDemoClient::initTestCase()
{
    QVERIFY2(qEnvironmentVariableIsSet("CONFAB_DEMO_DIR"), "run by tests/lan/lan_demo.sh");
    ClientFixture::prepareEnvironment();
}

void LanDemoClient::click(const QString& name)
{
    auto* item = qobject_cast<QQuickItem*>(find(name));
    QVERIFY2(item && item->isVisible(), qPrintable(name));
    QTest::mouseClick(m_window, Qt::LeftButton, {},
                      item->mapToScene(QPointF(item->width() / 2, item->height() / 2)).toPoint());
}

void LanDemoClient::screenshot(const QString& name)
{
    QTest::qWait(400); // popups' enter transitions; a frame is rendered
    const QString path = artifactsDir(QDir::tempPath()) + QStringLiteral("/lan-%1.png").arg(name);
    QVERIFY2(m_window->grabWindow().save(path), qPrintable(path));
    qInfo("saved %s", qPrintable(path));
}

void LanDemoClient::trustAs(ChatClient& client, const QString& fingerprint)
{
    QTRY_VERIFY_WITH_TIMEOUT(!client.account()->pendingCertificate().isEmpty(), 30000);
    QCOMPARE(client.account()->pendingCertificate().value(QStringLiteral("fingerprint")).toString(),
             fingerprint);
    client.account()->acceptCertificate(fingerprint);
    QTRY_VERIFY_WITH_TIMEOUT(client.account()->signedIn() && client.account()->pendingCertificate().isEmpty(),
                             15000);
}

void LanDemoClient::findTrustChatBackUpAndMeetAReplacedCertificate()
{
    const QString serverName = qEnvironmentVariable("CONFAB_DEMO_SERVER_NAME");
    const QString firstFingerprint = readDemoFile(QStringLiteral("fingerprint1"));
    QVERIFY2(firstFingerprint.size() == 95, "fingerprint1: the server's printed SHA-256 fingerprint");

    ChatClient alice(ClientFixture::options(QStringLiteral("lan-alice")));
    QQmlApplicationEngine engine;
    m_window = confab::ui::loadMainWindow(engine, &alice);
    QVERIFY(m_window);
    QVERIFY(QTest::qWaitForWindowExposed(m_window));
    m_window->resize(1000, 720);

    // 1. The login page lists the server announced in namespace A.
    QObject* list = find(QStringLiteral("discoveredServers"));
    QVERIFY(list);
    QTRY_VERIFY_WITH_TIMEOUT(list->property("count").toInt() > 0, 20000);
    QTRY_VERIFY(find(QStringLiteral("discoveredServer_0")));
    QObject* entry = find(QStringLiteral("discoveredServer_0"));
    QCOMPARE(entry->property("name").toString(), serverName);
    QVERIFY(entry->property("tls").toBool());
    QCOMPARE(entry->property("fingerprint").toString(), firstFingerprint);
    screenshot(QStringLiteral("1-found-on-the-lan"));
    click(QStringLiteral("discoveredServer_0"));
    const QString serverText = textOf("serverField");
    QVERIFY2(serverText.startsWith(QLatin1String("wss://")), qPrintable(serverText));

    // 2. A new account; the first connection asks to trust the fingerprint.
    alice.account()->signUp(serverText, QStringLiteral("alice"), QStringLiteral("alice's long password"),
                            QStringLiteral("Alice 陈"));
    QObject* dialog = find(QStringLiteral("certificateDialog"));
    QVERIFY(dialog);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), 15000);
    QCOMPARE(textOf("presentedFingerprint"), groupedFingerprint(firstFingerprint));
    QVERIFY(!qobject_cast<QQuickItem*>(find(QStringLiteral("certificateChangedWarning")))->isVisible());
    screenshot(QStringLiteral("2-trust-on-first-use"));
    click(QStringLiteral("trustCertificateButton"));
    QTRY_VERIFY_WITH_TIMEOUT(alice.account()->signedIn(), 15000);

    // 3. bob (made by `confab-server admin create-user`) and alice chat in a DM.
    ChatClient bob(ClientFixture::options(QStringLiteral("lan-bob")));
    bob.account()->signIn(serverText, QStringLiteral("bob"), QStringLiteral("bob's long password"));
    trustAs(bob, firstFingerprint);
    alice.rooms()->startDm(bob.account()->userId());
    QTRY_VERIFY_WITH_TIMEOUT(alice.conversation()->roomId() > 0, 10000);
    const double dm = alice.conversation()->roomId();
    const QString hello = QStringLiteral("你好 Bob, this goes over wss:// 🔒");
    alice.composer()->sendMessage(hello, {});
    QTRY_COMPARE_WITH_TIMEOUT(sentCount(alice), 1, 10000);
    QTRY_VERIFY_WITH_TIMEOUT(bob.rooms()->model()->rowCount() > 0, 10000);
    bob.conversation()->openRoom(dm);
    QTRY_VERIFY_WITH_TIMEOUT(hasContent(bob, hello), 10000);
    const QString reply = QStringLiteral("收到, Alice. The admin is backing up now.");
    bob.composer()->sendMessage(reply, {});
    QTRY_VERIFY_WITH_TIMEOUT(hasContent(alice, reply), 10000);
    screenshot(QStringLiteral("3-chat"));

    // 4. Both keep chatting while the script runs `admin backup` in A.
    QVERIFY(
        writeDemoFile(QStringLiteral("chatting"), QString::number(sentCount(alice)))); // the room's messages
    int sent = 0;
    QElapsedTimer chatting;
    chatting.start();
    // The backup itself takes milliseconds: chat goes on for a few more
    // messages after it, so the backup is a cut through a live conversation.
    int afterBackup = 0;
    while (afterBackup < 5) {
        QVERIFY2(chatting.elapsed() < 60000, "the script did not back up within 60 s");
        if (!readDemoFile(QStringLiteral("backup-done")).isEmpty())
            ++afterBackup;
        ChatClient& from = sent % 2 ? bob : alice;
        from.composer()->sendMessage(QStringLiteral("during the backup #%1").arg(++sent), {});
        QTest::qWait(100);
    }
    QTRY_VERIFY_WITH_TIMEOUT(settled(alice, bob), 10000);
    qInfo("%d messages sent while the backup ran; %d in the room", sent, sentCount(alice));

    // 5. The admin replaces the certificate and restarts the server: the
    //    reconnect stops at the red warning showing both fingerprints.
    QVERIFY(writeDemoFile(QStringLiteral("replace-now"), QString::number(sentCount(alice))));
    QTRY_VERIFY_WITH_TIMEOUT(!readDemoFile(QStringLiteral("fingerprint2")).isEmpty(), 30000);
    const QString secondFingerprint = readDemoFile(QStringLiteral("fingerprint2"));
    QVERIFY(secondFingerprint != firstFingerprint);
    QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), 30000);
    QVERIFY(qobject_cast<QQuickItem*>(find(QStringLiteral("certificateChangedWarning")))->isVisible());
    QCOMPARE(textOf("previousFingerprint"), groupedFingerprint(firstFingerprint));
    QCOMPARE(textOf("presentedFingerprint"), groupedFingerprint(secondFingerprint));
    QVERIFY(!alice.account()->signedIn() ||
            alice.account()->connectionState() != confab::client::Session::State::Online);
    screenshot(QStringLiteral("4-certificate-changed"));
    click(QStringLiteral("acceptNewCertificateButton"));
    QTRY_VERIFY_WITH_TIMEOUT(alice.account()->connectionState() == confab::client::Session::State::Online,
                             15000);
    trustAs(bob, secondFingerprint);

    // 6. Chat goes on over the new certificate.
    const QString after = QStringLiteral("new certificate, same chat ✓");
    alice.composer()->sendMessage(after, {});
    QTRY_VERIFY_WITH_TIMEOUT(hasContent(bob, after), 15000);
    screenshot(QStringLiteral("5-after-accepting"));
}

QTEST_MAIN(LanDemoClient)
#include "lan_demo_client.moc"
