// The client's local platform services, for real: the session token in the
// OS keychain (Secret Service over D-Bus; CI runs this inside a D-Bus session
// with an unlocked gnome-keyring, see scripts/test.sh), the per-profile
// settings file, and desktop notifications over D-Bus.
//
// A keychain that does not work is a FAILURE here, never a skip: the app
// would silently forget every login. The notification case runs on a private
// bus of its own (dbus-run-session with a configuration that starts nothing),
// so a desktop's real notification service neither hides it nor is touched;
// only without dbus-run-session does it report "NOT RUN" (ctest: Skipped),
// and CONFAB_REQUIRE_DESKTOP_BUS=1 (scripts/test.sh, CI) makes that a failure.
#include "client_settings.h"
#include "desktop_notifier.h"
#include "token_store.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QDBusConnection>
#include <QDBusError>
#include <QDirIterator>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>

#include <functional>
#include <memory>

using confab::client::ClientSettings;
using confab::client::DesktopNotifier;
using confab::client::TokenStore;

namespace {

const char* const kChildEnv = "CONFAB_TOKENSTORE_NO_DBUS";
const char* const kNotifyChildEnv = "CONFAB_TOKENSTORE_NOTIFY_CHILD";

// A session bus that starts no service on demand: nothing answers for
// org.freedesktop.Notifications but what the test registers.
const char* const kPrivateBusConfig =
    R"(<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
)";
const QString kMessagePrefix = QStringLiteral("Your login cannot be remembered on this computer: ");

// Clears the spies, runs the step and waits until one of them fired; returns
// which (-1: none in time).
template <typename Step>
int stepAndWait(const QList<QSignalSpy*>& spies, Step&& step, int timeoutMs = 20000)
{
    for (QSignalSpy* spy : spies)
        spy->clear();
    step();
    int which = -1;
    (void)QTest::qWaitFor(
        [&] {
            for (int i = 0; i < spies.size(); ++i) {
                if (!spies.at(i)->isEmpty()) {
                    which = i;
                    return true;
                }
            }
            return false;
        },
        timeoutMs);
    return which;
}

// Runs save, load and remove once and prints each outcome as a line:
// "save saved", "load unavailable <message>", ... (the child process).
int runStoreOnce(const QString& service, const QString& token)
{
    TokenStore store(QStringLiteral("child"));
    store.setServiceName(service);
    const QUrl server(QStringLiteral("ws://127.0.0.1:7860"));
    QSignalSpy loaded(&store, &TokenStore::loaded), notFound(&store, &TokenStore::notFound),
        saved(&store, &TokenStore::saved), removed(&store, &TokenStore::removed),
        unavailable(&store, &TokenStore::unavailable);
    const QStringList names{QStringLiteral("loaded"), QStringLiteral("notFound"), QStringLiteral("saved"),
                            QStringLiteral("removed"), QStringLiteral("unavailable")};
    QTextStream out(stdout);
    const auto run = [&](const char* name, const std::function<void()>& step) {
        const int which = stepAndWait({&loaded, &notFound, &saved, &removed, &unavailable}, step);
        out << name << ' ' << (which < 0 ? QStringLiteral("timeout") : names.at(which));
        if (!unavailable.isEmpty())
            out << ' ' << unavailable.first().first().toString();
        out << '\n';
    };
    run("save", [&] { store.save(server, QStringLiteral("alice"), token); });
    run("load", [&] { store.load(server); });
    run("remove", [&] { store.remove(server); });
    out.flush();
    return 0;
}

} // namespace

// A stand-in for the desktop's notification daemon, on the test's session bus.
class FakeNotifications : public QObject {
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")
public:
    QStringList received; // "app|summary|body|timeout"
public slots:
    uint Notify(const QString& app, uint replacesId, const QString& icon, const QString& summary,
                const QString& body, const QStringList& actions, const QVariantMap& hints, int timeout)
    {
        Q_UNUSED(replacesId)
        Q_UNUSED(icon)
        Q_UNUSED(actions)
        Q_UNUSED(hints);
        received.append(QStringList{app, summary, body, QString::number(timeout)}.join(QLatin1Char('|')));
        return uint(received.size());
    }
};

class TestTokenStore : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void roundTripThroughTheKeychain();
    void removingAMissingEntryCountsAsRemoved();
    void entriesAreKeyedByProfileAndServer();
    void profilesKeepSeparateTokens();
    void withoutAKeychainNothingIsWritten();
    void settingsArePerProfile();
    void notificationsGoToTheDesktopService();

private:
    QString m_service; // unique per run: runs never see each other's entries
};

void TestTokenStore::initTestCase()
{
    m_service = QStringLiteral("confab-test-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    QStandardPaths::setTestModeEnabled(true);
}

void TestTokenStore::roundTripThroughTheKeychain()
{
    TokenStore store(QStringLiteral("work"));
    store.setServiceName(m_service);
    const QUrl server(QStringLiteral("ws://chat.example.org:7860"));
    QSignalSpy loaded(&store, &TokenStore::loaded), notFound(&store, &TokenStore::notFound),
        saved(&store, &TokenStore::saved), removed(&store, &TokenStore::removed),
        unavailable(&store, &TokenStore::unavailable);
    const auto failure = [&] {
        return unavailable.isEmpty() ? QStringLiteral("no result in time")
                                     : unavailable.first().first().toString();
    };

    QVERIFY2(stepAndWait({&saved, &unavailable},
                         [&] { store.save(server, QStringLiteral("alice"), QStringLiteral("token-1")); }) ==
                 0,
             qPrintable(failure()));
    QCOMPARE(saved.first().first().toUrl(), server);
    // The entry itself, as any other reader of the keychain sees it.
    auto raw = std::make_unique<QKeychain::ReadPasswordJob>(m_service);
    raw->setAutoDelete(false);
    raw->setKey(store.entryKey(server));
    QSignalSpy rawDone(raw.get(), &QKeychain::Job::finished);
    raw->start();
    QTRY_COMPARE_WITH_TIMEOUT(rawDone.size(), 1, 20000);
    QCOMPARE(raw->error(), QKeychain::NoError);
    QCOMPARE(raw->textData(), QStringLiteral(R"({"token":"token-1","username":"alice"})"));
    // Saving again replaces the entry.
    QVERIFY2(stepAndWait({&saved, &unavailable},
                         [&] { store.save(server, QStringLiteral("alice"), QStringLiteral("token-2")); }) ==
                 0,
             qPrintable(failure()));

    QVERIFY2(stepAndWait({&loaded, &notFound, &unavailable}, [&] { store.load(server); }) == 0,
             qPrintable(failure()));
    QCOMPARE(loaded.first().at(0).toUrl(), server);
    QCOMPARE(loaded.first().at(1).toString(), QStringLiteral("alice"));
    QCOMPARE(loaded.first().at(2).toString(), QStringLiteral("token-2"));

    QVERIFY2(stepAndWait({&removed, &unavailable}, [&] { store.remove(server); }) == 0,
             qPrintable(failure()));
    QCOMPARE(removed.first().first().toUrl(), server);

    QVERIFY2(stepAndWait({&notFound, &loaded, &unavailable}, [&] { store.load(server); }) == 0,
             qPrintable(failure()));
    QCOMPARE(notFound.first().first().toUrl(), server);
    QVERIFY(loaded.isEmpty() && unavailable.isEmpty());
}

void TestTokenStore::removingAMissingEntryCountsAsRemoved()
{
    TokenStore store(QStringLiteral("work"));
    store.setServiceName(m_service);
    const QUrl server(QStringLiteral("ws://never-saved.example.org:7860"));
    QSignalSpy removed(&store, &TokenStore::removed), unavailable(&store, &TokenStore::unavailable);
    QVERIFY2(stepAndWait({&removed, &unavailable}, [&] { store.remove(server); }) == 0,
             qPrintable(unavailable.isEmpty() ? QString() : unavailable.first().first().toString()));
}

void TestTokenStore::entriesAreKeyedByProfileAndServer()
{
    TokenStore work(QStringLiteral("work"));
    QCOMPARE(work.entryKey(QUrl(QStringLiteral("ws://127.0.0.1:7860"))),
             QStringLiteral("profile/work/ws://127.0.0.1:7860"));
    // One server, one entry: a trailing slash, user info or a query change nothing.
    QCOMPARE(work.entryKey(QUrl(QStringLiteral("wss://bob:secret@chat.example.org:443/?token=abc"))),
             QStringLiteral("profile/work/wss://chat.example.org:443"));
    QVERIFY(TokenStore(QStringLiteral("home")).entryKey(QUrl(QStringLiteral("ws://127.0.0.1:7860"))) !=
            work.entryKey(QUrl(QStringLiteral("ws://127.0.0.1:7860"))));
}

void TestTokenStore::profilesKeepSeparateTokens()
{
    TokenStore work(QStringLiteral("work")), home(QStringLiteral("home"));
    work.setServiceName(m_service);
    home.setServiceName(m_service);
    const QUrl server(QStringLiteral("ws://127.0.0.1:7860"));
    QSignalSpy savedWork(&work, &TokenStore::saved), savedHome(&home, &TokenStore::saved),
        loaded(&work, &TokenStore::loaded), removedWork(&work, &TokenStore::removed),
        removedHome(&home, &TokenStore::removed), unavailableWork(&work, &TokenStore::unavailable),
        unavailableHome(&home, &TokenStore::unavailable);
    QVERIFY(stepAndWait({&savedWork, &unavailableWork}, [&] {
                work.save(server, QStringLiteral("alice"), QStringLiteral("work-token"));
            }) == 0);
    QVERIFY(stepAndWait({&savedHome, &unavailableHome}, [&] {
                home.save(server, QStringLiteral("alice"), QStringLiteral("home-token"));
            }) == 0);
    QVERIFY(stepAndWait({&loaded, &unavailableWork}, [&] { work.load(server); }) == 0);
    QCOMPARE(loaded.first().at(2).toString(), QStringLiteral("work-token"));
    QSignalSpy loadedHome(&home, &TokenStore::loaded);
    QVERIFY(stepAndWait({&loadedHome, &unavailableHome}, [&] { home.load(server); }) == 0);
    QCOMPARE(loadedHome.first().at(2).toString(), QStringLiteral("home-token"));
    QVERIFY(stepAndWait({&removedWork, &unavailableWork}, [&] { work.remove(server); }) == 0);
    QVERIFY(stepAndWait({&removedHome, &unavailableHome}, [&] { home.remove(server); }) == 0);
}

void TestTokenStore::withoutAKeychainNothingIsWritten()
{
    // This binary again, with no D-Bus session and a private home.
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    const QString home = scratch.filePath(QStringLiteral("home"));
    const QString token = QStringLiteral("secret-") + QUuid::createUuid().toString(QUuid::Id128);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char* name : {"DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"})
        env.remove(QString::fromLatin1(name));
    env.insert(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"),
               QStringLiteral("unix:path=") + scratch.filePath(QStringLiteral("no-bus")));
    env.insert(QStringLiteral("HOME"), home);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
    env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
    env.insert(QStringLiteral("XDG_RUNTIME_DIR"), scratch.filePath(QStringLiteral("run")));
    env.insert(QString::fromLatin1(kChildEnv), QStringLiteral("1"));
    env.insert(QStringLiteral("CONFAB_TOKENSTORE_SECRET"), token);
    env.insert(QStringLiteral("CONFAB_TOKENSTORE_SERVICE"), m_service);
    QProcess child;
    child.setProcessEnvironment(env);
    child.setWorkingDirectory(scratch.path());
    child.start(QCoreApplication::applicationFilePath(), {});
    QVERIFY(child.waitForFinished(90000));
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
             qPrintable(QString::fromUtf8(child.readAllStandardError())));
    const QStringList lines = out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 3);
    const QStringList steps{QStringLiteral("save"), QStringLiteral("load"), QStringLiteral("remove")};
    for (int i = 0; i < steps.size(); ++i) {
        const QString expected = steps.at(i) + QStringLiteral(" unavailable ") + kMessagePrefix;
        QVERIFY2(lines.at(i).startsWith(expected), qPrintable(lines.at(i)));
        QVERIFY2(lines.at(i).size() > expected.size(), "the message says why"); // the job's errorString
    }
    // Nothing anywhere in the child's world holds the token (the canary
    // shows that the scan would see it).
    QFile canary(scratch.filePath(QStringLiteral("canary")));
    QVERIFY(canary.open(QIODevice::WriteOnly) && canary.write(token.toUtf8()) > 0);
    canary.close();
    QDirIterator files(scratch.path(), QDir::Files | QDir::Hidden | QDir::System,
                       QDirIterator::Subdirectories);
    QStringList holding;
    while (files.hasNext()) {
        QFile file(files.next());
        QVERIFY(file.open(QIODevice::ReadOnly));
        if (file.readAll().contains(token.toUtf8()))
            holding.append(file.fileName());
    }
    QCOMPARE(holding, QStringList{canary.fileName()});
}

void TestTokenStore::settingsArePerProfile()
{
    const QString configDir = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    ClientSettings odd(QStringLiteral("../work space/ü"));
    QCOMPARE(odd.fileName(), configDir + QStringLiteral("/confab/___work_space__.ini"));

    const QString profile = QStringLiteral("t-") + QUuid::createUuid().toString(QUuid::Id128);
    QFile::remove(configDir + QStringLiteral("/confab/") + profile + QStringLiteral(".ini"));
    {
        ClientSettings fresh(profile);
        QCOMPARE(fresh.fileName(), configDir + QStringLiteral("/confab/") + profile + QStringLiteral(".ini"));
        QCOMPARE(fresh.lastServer(), QUrl(QStringLiteral("ws://127.0.0.1:7860")));
        QVERIFY(fresh.lastUsername().isEmpty());
        fresh.setLastServer(QUrl(QStringLiteral("wss://bob:pw@chat.example.org:7443/?token=abc")));
        fresh.setLastUsername(QStringLiteral("王小明"));
    }
    ClientSettings again(profile);
    QCOMPARE(again.lastServer(), QUrl(QStringLiteral("wss://chat.example.org:7443/")));
    QCOMPARE(again.lastUsername(), QStringLiteral("王小明"));
    QFile file(again.fileName());
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray text = file.readAll();
    QVERIFY(!text.contains("pw") && !text.contains("token")); // never secrets
    QCOMPARE(ClientSettings(profile + QStringLiteral("-other")).lastUsername(), QString());
    QVERIFY(QFile::remove(again.fileName()));
}

void TestTokenStore::notificationsGoToTheDesktopService()
{
    // This binary again, as the only client of a bus of its own.
    const QString runner = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
    if (runner.isEmpty()) {
        const QString why = QStringLiteral("dbus-run-session is missing (Debian package dbus-daemon)");
        if (qEnvironmentVariable("CONFAB_REQUIRE_DESKTOP_BUS") == QLatin1String("1"))
            QFAIL(qPrintable(why));
        QSKIP(qPrintable(QStringLiteral("desktop notification test NOT RUN: ") + why));
    }
    QTemporaryDir scratch;
    QVERIFY(scratch.isValid());
    QFile config(scratch.filePath(QStringLiteral("bus.conf")));
    QVERIFY(config.open(QIODevice::WriteOnly) && config.write(kPrivateBusConfig) > 0);
    config.close();
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove(QStringLiteral("DBUS_SESSION_BUS_ADDRESS"));
    env.insert(QString::fromLatin1(kNotifyChildEnv), QStringLiteral("1"));
    QProcess child;
    child.setProcessEnvironment(env);
    child.start(runner, {QStringLiteral("--config-file=") + config.fileName(), QStringLiteral("--"),
                         QCoreApplication::applicationFilePath()});
    QVERIFY(child.waitForFinished(60000));
    const QString out = QString::fromUtf8(child.readAllStandardOutput());
    QVERIFY2(child.exitStatus() == QProcess::NormalExit && child.exitCode() == 0,
             qPrintable(out + QString::fromUtf8(child.readAllStandardError())));
    QCOMPARE(
        out.split(QLatin1Char('\n'), Qt::SkipEmptyParts),
        (QStringList{QStringLiteral("before available=0 sent=0"), QStringLiteral("after available=1 sent=1"),
                     // Markup in the body is escaped: servers may render a subset of HTML.
                     QStringLiteral(
                         "received Confab|Alice <Chen>|&lt;img src=x&gt; &amp; &lt;b&gt;hi&lt;/b&gt;|-1")}));
}

namespace {

// The notification case inside the private bus (the child process): prints
// what it saw, one line per step; exit code 1 when a step could not run.
int runNotificationsOnce()
{
    QTextStream out(stdout);
    QDBusConnection bus = QDBusConnection::sessionBus();
    if (!bus.isConnected()) {
        out << "no bus: " << bus.lastError().message() << '\n';
        return 1;
    }
    const QString service = QStringLiteral("org.freedesktop.Notifications");
    DesktopNotifier notifier;
    out << "before available=" << int(notifier.isAvailable())
        << " sent=" << int(notifier.notify(QStringLiteral("nobody"), QStringLiteral("listens"))) << '\n';
    FakeNotifications fake;
    if (!bus.registerObject(QStringLiteral("/org/freedesktop/Notifications"), &fake,
                            QDBusConnection::ExportAllSlots) ||
        !bus.registerService(service)) {
        out << "cannot register the fake service: " << bus.lastError().message() << '\n';
        return 1;
    }
    out << "after available=" << int(notifier.isAvailable()) << " sent="
        << int(notifier.notify(QStringLiteral("Alice <Chen>"), QStringLiteral("<img src=x> & <b>hi</b>")))
        << '\n';
    (void)QTest::qWaitFor([&] { return !fake.received.isEmpty(); }, 20000);
    for (const QString& line : std::as_const(fake.received))
        out << "received " << line << '\n';
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsSet(kChildEnv)) {
        QCoreApplication app(argc, argv);
        return runStoreOnce(qEnvironmentVariable("CONFAB_TOKENSTORE_SERVICE"),
                            qEnvironmentVariable("CONFAB_TOKENSTORE_SECRET"));
    }
    if (qEnvironmentVariableIsSet(kNotifyChildEnv)) {
        QCoreApplication app(argc, argv);
        return runNotificationsOnce();
    }
    QCoreApplication app(argc, argv);
    TestTokenStore test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_token_store.moc"
