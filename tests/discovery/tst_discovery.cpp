// The responder (server/discovery/) and the browser + model (client/discovery/)
// against each other on the loopback interface, on a port of their own so a
// real mDNS responder on this machine is never involved. The namespace test
// (netns_discovery.sh) covers two hosts and avahi.

#include "certificate_trust.h"
#include "discovery/discovered_servers_model.h"
#include "discovery/discovery_announcer.h"
#include "discovery/dns_sd.h"
#include "server_config.h"

#include <QAbstractItemModelTester>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QTest>
#include <QUdpSocket>

using namespace confab;
using confab::client::DiscoveredServersModel;
using confab::server::DiscoveryAnnouncer;

namespace {

const QHostAddress kGroup(QStringLiteral("224.0.0.251"));
const QString kFingerprint = QStringLiteral(
    "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89");

// A port no one else uses for mDNS, different per run.
quint16 testPort()
{
    return quint16(40000 + QRandomGenerator::global()->bounded(20000));
}

DiscoveryAnnouncer::Transport announcerTransport(quint16 port, int announcements = 3)
{
    DiscoveryAnnouncer::Transport t;
    t.port = port;
    t.announcements = announcements;
    return t;
}

client::DiscoveryBrowser::Transport browserTransport(quint16 port)
{
    client::DiscoveryBrowser::Transport t;
    t.port = port;
    t.firstIntervalMs = 200;
    t.maxIntervalMs = 1000;
    return t;
}

QVariant role(const DiscoveredServersModel& model, int row, DiscoveredServersModel::Role r)
{
    return model.data(model.index(row), r);
}

// The row announcing `url`, -1 when none.
int rowOfUrl(const DiscoveredServersModel& model, const QString& url)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (role(model, row, DiscoveredServersModel::UrlRole).toString() == url)
            return row;
    }
    return -1;
}

QString warningOf(const DiscoveredServersModel& model, const QString& url)
{
    const int row = rowOfUrl(model, url);
    return row < 0 ? QStringLiteral("<no row>")
                   : role(model, row, DiscoveredServersModel::WarningRole).toString();
}

const QString kOtherFingerprint = QStringLiteral(
    "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00");

// The user's pins, as ClientSettings keeps them, in memory.
class MemoryPins : public client::CertificatePinStore {
public:
    QHash<QString, QString> byAddress; // "host:port"
    QHash<QString, QString> byName;
    QString pinnedFingerprint(const QUrl& server) const override
    {
        return byAddress.value(server.host() + QLatin1Char(':') + QString::number(server.port()));
    }
    void setPinnedFingerprint(const QUrl& server, const QString& fingerprint) override
    {
        byAddress.insert(server.host() + QLatin1Char(':') + QString::number(server.port()), fingerprint);
    }
    void forgetPinnedFingerprint(const QUrl& server) override
    {
        byAddress.remove(server.host() + QLatin1Char(':') + QString::number(server.port()));
    }
    QString fingerprintForServerName(const QString& name) const override { return byName.value(name); }
    void setFingerprintForServerName(const QString& name, const QString& fingerprint) override
    {
        byName.insert(name, fingerprint);
    }
};

client::DiscoveredServer announced(const QString& name, const char* address, quint16 port, bool tls,
                                   const QString& fingerprint = {})
{
    client::DiscoveredServer s;
    s.name = name;
    s.address = QHostAddress(QString::fromLatin1(address));
    s.port = port;
    s.tls = tls;
    s.fingerprint = fingerprint;
    s.ttlSeconds = 120;
    return s;
}

} // namespace

class TestDiscovery : public QObject {
    Q_OBJECT

private slots:
    void loopbackServerIsAnnouncedOnLoopbackOnly()
    {
        DiscoveryAnnouncer announcer({QStringLiteral("Loop"), 7860, false, {}}, QHostAddress::LocalHost,
                                     announcerTransport(testPort()));
        QVERIFY(announcer.start().ok());
        const QStringList names = announcer.interfaceNames();
        QCOMPARE(names.size(), 1);
        QVERIFY(QNetworkInterface::interfaceFromName(names.constFirst())
                    .flags()
                    .testFlag(QNetworkInterface::IsLoopBack));
        // An IPv6-only listener is not announced (IPv4 mDNS only).
        DiscoveryAnnouncer v6({QStringLiteral("V6"), 7860, false, {}}, QHostAddress::LocalHostIPv6,
                              announcerTransport(testPort()));
        QVERIFY(v6.start().ok());
        QVERIFY(v6.interfaceNames().isEmpty());
    }

    void discoveryOptions()
    {
        using confab::server::ServerConfig;
        const QString program = QStringLiteral("confab-server");
        auto defaults = ServerConfig::fromArguments({program}, {});
        QVERIFY(defaults.ok());
        QVERIFY(defaults->discovery);
        QCOMPARE(defaults->serverName, QString());
        auto off =
            ServerConfig::fromArguments({program, QStringLiteral("--discovery"), QStringLiteral("off"),
                                         QStringLiteral("--server-name"), QStringLiteral(" Lab 团队 ")},
                                        {});
        QVERIFY(off.ok());
        QVERIFY(!off->discovery);
        QCOMPARE(off->serverName, QStringLiteral("Lab 团队"));
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("CONFAB_DISCOVERY"), QStringLiteral("maybe"));
        auto bad = ServerConfig::fromArguments({program}, environment);
        QVERIFY(!bad.ok());
        QCOMPARE(bad.error().message, QStringLiteral("CONFAB_DISCOVERY must be on or off"));
        // How often interfaces are looked at again: 30 s unless told.
        QCOMPARE(defaults->discoveryRescanMs, 30000);
        auto quick = ServerConfig::fromArguments(
            {program, QStringLiteral("--discovery-rescan-ms"), QStringLiteral("500")}, {});
        QVERIFY(quick.ok());
        QCOMPARE(quick->discoveryRescanMs, 500);
        auto tooQuick = ServerConfig::fromArguments(
            {program, QStringLiteral("--discovery-rescan-ms"), QStringLiteral("10")}, {});
        QVERIFY(!tooQuick.ok());
        QVERIFY(tooQuick.error().message.startsWith(QLatin1String("--discovery-rescan-ms must be a number")));
    }

    void txtRecord()
    {
        QCOMPARE(DiscoveryAnnouncer::txtFor({QStringLiteral("x"), 1, false, {}}),
                 (QList<QByteArray>{"v=1", "tls=0", "path=/"}));
        QCOMPARE(DiscoveryAnnouncer::txtFor({QStringLiteral("x"), 1, true, QStringLiteral("AB:CD")}),
                 (QList<QByteArray>{"v=1", "tls=1", "fp=AB:CD", "path=/"}));
        QVERIFY(DiscoveryAnnouncer::defaultName().startsWith(QLatin1String("Confab on ")));
    }

    // The browser finds an announced server, sees it again in place, and
    // drops it on the goodbye, long before its TTL would.
    void browserFindsAnnouncementAndGoodbye()
    {
        const quint16 port = testPort();
        DiscoveredServersModel model(browserTransport(port));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setActive(true);
        QVERIFY(model.isActive());

        DiscoveryAnnouncer announcer({QStringLiteral("Team chat 团队 <b>x</b>"), 7862, true, kFingerprint},
                                     QHostAddress::LocalHost, announcerTransport(port));
        QVERIFY(announcer.start().ok());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
        QCOMPARE(role(model, 0, DiscoveredServersModel::NameRole).toString(),
                 QStringLiteral("Team chat 团队 <b>x</b>"));
        QCOMPARE(role(model, 0, DiscoveredServersModel::HostRole).toString(), QStringLiteral("127.0.0.1"));
        QCOMPARE(role(model, 0, DiscoveredServersModel::PortRole).toInt(), 7862);
        QCOMPARE(role(model, 0, DiscoveredServersModel::UrlRole).toString(),
                 QStringLiteral("wss://127.0.0.1:7862/"));
        QCOMPARE(role(model, 0, DiscoveredServersModel::TlsRole).toBool(), true);
        QCOMPARE(role(model, 0, DiscoveredServersModel::FingerprintRole).toString(), kFingerprint);
        const QDateTime firstSeen = role(model, 0, DiscoveredServersModel::LastSeenRole).toDateTime();
        QVERIFY(firstSeen.isValid());
        // The second announcement (1 s later) updates the row in place.
        QTRY_VERIFY_WITH_TIMEOUT(
            role(model, 0, DiscoveredServersModel::LastSeenRole).toDateTime() > firstSeen, 10000);
        QCOMPARE(model.rowCount(), 1);

        // The goodbye, not the TTL: the records say 120 s, far beyond this wait.
        announcer.stop();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 0, 30000);
    }

    // A browser that starts after the announcements finds the server by
    // asking; garbage sent to the responder first changes nothing.
    void browserQueryIsAnsweredAfterGarbage()
    {
        const quint16 port = testPort();
        DiscoveryAnnouncer announcer({QStringLiteral("Quiet"), 7863, false, {}}, QHostAddress::LocalHost,
                                     announcerTransport(port, 1));
        QVERIFY(announcer.start().ok());
        QUdpSocket garbage;
        QVERIFY(garbage.bind(QHostAddress::LocalHost, 0));
        garbage.setMulticastInterface(
            QNetworkInterface::interfaceFromName(announcer.interfaceNames().first()));
        const QList<QByteArray> junk = {QByteArray(), QByteArray(3, '\xff'),
                                        QByteArray::fromHex("0000000000010000000000000"
                                                            "0c00c000c0001"),
                                        QByteArray(12, '\0') + QByteArray(500, '\xc0'),
                                        QByteArray(9500, 'x')};
        for (const QByteArray& packet : junk)
            garbage.writeDatagram(packet, kGroup, port);
        // The responder reads datagrams in order: once it answers a query
        // sent after the junk (a legacy one: unicast, to this socket), it
        // has read all of it and lives. Its one announcement went out in
        // start(), before the browser below existed.
        discovery::DnsMessage after = discovery::browseQuery();
        after.id = 0x5EED;
        QVERIFY(garbage.writeDatagram(discovery::encodeDnsMessage(after).value(), kGroup, port) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(garbage.hasPendingDatagrams(), 10000);
        const auto answered = discovery::parseDnsMessage(garbage.receiveDatagram().data());
        QVERIFY(answered.ok());
        QCOMPARE(answered->id, quint16(0x5EED));

        DiscoveredServersModel model(browserTransport(port));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setActive(true);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
        QCOMPARE(role(model, 0, DiscoveredServersModel::NameRole).toString(), QStringLiteral("Quiet"));
        QCOMPARE(role(model, 0, DiscoveredServersModel::UrlRole).toString(),
                 QStringLiteral("ws://127.0.0.1:7863/"));
        QCOMPARE(role(model, 0, DiscoveredServersModel::TlsRole).toBool(), false);
        QCOMPARE(role(model, 0, DiscoveredServersModel::FingerprintRole).toString(), QString());
        model.setActive(false);
        QVERIFY(!model.isActive());
    }

    // A plain DNS resolver asking from another port gets a unicast answer
    // with its id, its question and short TTLs (RFC 6762 section 6.7).
    void legacyUnicastQuery()
    {
        const quint16 port = testPort();
        DiscoveryAnnouncer announcer({QStringLiteral("Legacy"), 7864, false, {}}, QHostAddress::LocalHost,
                                     announcerTransport(port, 1));
        QVERIFY(announcer.start().ok());
        QUdpSocket asker;
        QVERIFY(asker.bind(QHostAddress::LocalHost, 0));
        asker.setMulticastInterface(QNetworkInterface::interfaceFromName(announcer.interfaceNames().first()));
        discovery::DnsMessage query = discovery::browseQuery();
        query.id = 0xBEEF;
        QVERIFY(asker.writeDatagram(discovery::encodeDnsMessage(query).value(), kGroup, port) > 0);
        QTRY_VERIFY_WITH_TIMEOUT(asker.hasPendingDatagrams(), 3000);
        auto reply = discovery::parseDnsMessage(asker.receiveDatagram().data());
        QVERIFY(reply.ok());
        QCOMPARE(reply->id, quint16(0xBEEF));
        QCOMPARE(reply->questions, query.questions);
        const auto seen = discovery::sightingsIn(reply.value());
        QCOMPARE(seen.size(), 1);
        QCOMPARE(seen.constFirst().port, quint16(7864));
        QVERIFY(seen.constFirst().ttl <= discovery::kLegacyUnicastTtl);
    }

    void entriesExpireAfterTheirTtl()
    {
        DiscoveredServersModel model(browserTransport(testPort()));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        client::DiscoveredServer shortLived;
        shortLived.name = QStringLiteral("Short");
        shortLived.address = QHostAddress(QStringLiteral("10.0.0.1"));
        shortLived.port = 1;
        shortLived.ttlSeconds = 1;
        client::DiscoveredServer longLived = shortLived;
        longLived.name = QStringLiteral("Long");
        longLived.ttlSeconds = 120;
        model.onServerSeen(shortLived);
        model.onServerSeen(longLived);
        QCOMPARE(model.rowCount(), 2);
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 3000);
        QCOMPARE(role(model, 0, DiscoveredServersModel::NameRole).toString(), QStringLiteral("Long"));
        model.onServerGone(QStringLiteral("nobody"), QHostAddress(QStringLiteral("10.0.0.1")));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.roleNames().value(DiscoveredServersModel::LastSeenRole), QByteArray("lastSeen"));
        QCOMPARE(int(DiscoveredServersModel::NameRole), Qt::UserRole + 1);
    }

    // Issue 12: another machine announces a known wss:// server's name with
    // its own plain ws:// address. Both are real responders on loopback; the
    // second is a row of its own, with a warning, and the first is untouched.
    void hijackIsASeparateFlaggedEntry()
    {
        const quint16 port = testPort();
        DiscoveredServersModel model(browserTransport(port));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setActive(true);
        DiscoveryAnnouncer real({QStringLiteral("Team chat"), 7862, true, kFingerprint},
                                QHostAddress::LocalHost, announcerTransport(port));
        QVERIFY(real.start().ok());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 5000);
        const QString realUrl = QStringLiteral("wss://127.0.0.1:7862/");
        QCOMPARE(warningOf(model, realUrl), QString());

        DiscoveryAnnouncer fake({QStringLiteral("Team chat"), 7999, false, {}}, QHostAddress::LocalHost,
                                announcerTransport(port));
        QVERIFY(fake.start().ok());
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 2, 5000);
        const QString fakeUrl = QStringLiteral("ws://127.0.0.1:7999/");
        QVERIFY(rowOfUrl(model, realUrl) >= 0);
        QCOMPARE(role(model, rowOfUrl(model, realUrl), DiscoveredServersModel::FingerprintRole).toString(),
                 kFingerprint);
        QVERIFY2(warningOf(model, fakeUrl).contains(QLatin1String("Not encrypted")),
                 qPrintable(warningOf(model, fakeUrl)));
        QVERIFY(role(model, rowOfUrl(model, fakeUrl), DiscoveredServersModel::SuspiciousRole).toBool());
        QCOMPARE(warningOf(model, realUrl), QString());
        QVERIFY(!role(model, rowOfUrl(model, realUrl), DiscoveredServersModel::SuspiciousRole).toBool());

        // Their next announcements (1 s later) renew each row, never merge them.
        const auto lastSeen = [&](const QString& url) {
            return role(model, rowOfUrl(model, url), DiscoveredServersModel::LastSeenRole).toDateTime();
        };
        const QDateTime realSeen = lastSeen(realUrl);
        const QDateTime fakeSeen = lastSeen(fakeUrl);
        QTRY_VERIFY_WITH_TIMEOUT(lastSeen(realUrl) > realSeen && lastSeen(fakeUrl) > fakeSeen, 5000);
        QCOMPARE(model.rowCount(), 2);
        // The impostor's goodbye (same name, same address here, its own port)
        // takes only its own row; the warning goes with it.
        QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
        fake.stop();
        QTRY_COMPARE_WITH_TIMEOUT(model.rowCount(), 1, 3000);
        QCOMPARE(removed.size(), 1);
        QCOMPARE(role(model, 0, DiscoveredServersModel::UrlRole).toString(), realUrl);
        QCOMPARE(warningOf(model, realUrl), QString());
    }

    // Two TLS servers under one name with different certificates: without a
    // pin neither can be believed over the other, so both are flagged; with
    // the user's pin the trusted one is clean and the other flagged.
    void conflictingCertificatesAndPins()
    {
        DiscoveredServersModel model(browserTransport(testPort()));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.onServerSeen(announced(QStringLiteral("Team chat"), "10.0.0.5", 7443, true, kFingerprint));
        model.onServerSeen(announced(QStringLiteral("Team chat"), "10.0.0.9", 7443, true, kOtherFingerprint));
        QCOMPARE(model.rowCount(), 2);
        const QString real = QStringLiteral("wss://10.0.0.5:7443/");
        const QString fake = QStringLiteral("wss://10.0.0.9:7443/");
        QVERIFY(warningOf(model, real).contains(QLatin1String("different certificate")));
        QVERIFY(warningOf(model, fake).contains(QLatin1String("different certificate")));

        MemoryPins pins;
        pins.byAddress.insert(QStringLiteral("10.0.0.5:7443"), kFingerprint);
        model.setPinStore(&pins);
        QCOMPARE(warningOf(model, real), QString());
        QVERIFY(warningOf(model, fake).contains(QLatin1String("not the one you trusted")));
        // The name is now known to belong to that certificate.
        QCOMPARE(pins.byName.value(QStringLiteral("Team chat")), kFingerprint);
        // The same certificate on another address (a second interface) is
        // the same server: no warning.
        model.onServerSeen(announced(QStringLiteral("Team chat"), "192.168.7.5", 7443, true, kFingerprint));
        QCOMPARE(warningOf(model, QStringLiteral("wss://192.168.7.5:7443/")), QString());
    }

    // The trusted server is gone (or silenced): a plain ws:// announcement of
    // its name is still flagged, by what the pins remember, and so is one at
    // the pinned address itself.
    void pinnedServerAnnouncingPlainIsFlagged()
    {
        MemoryPins pins;
        pins.byAddress.insert(QStringLiteral("10.0.0.5:7443"), kFingerprint);
        DiscoveredServersModel model(browserTransport(testPort()));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setPinStore(&pins);
        model.onServerSeen(announced(QStringLiteral("Team chat"), "10.0.0.5", 7443, true, kFingerprint));
        QCOMPARE(model.rowCount(), 1);
        // A goodbye from another address is not the server's.
        model.onServerGone(QStringLiteral("Team chat"), QHostAddress(QStringLiteral("10.0.0.9")));
        QCOMPARE(model.rowCount(), 1);
        model.onServerGone(QStringLiteral("Team chat"), QHostAddress(QStringLiteral("10.0.0.5")));
        QCOMPARE(model.rowCount(), 0);

        model.onServerSeen(announced(QStringLiteral("Team chat"), "10.0.0.9", 7860, false));
        const QString elsewhere = QStringLiteral("ws://10.0.0.9:7860/");
        QVERIFY2(warningOf(model, elsewhere).contains(QStringLiteral("you trusted “Team chat” with a TLS")),
                 qPrintable(warningOf(model, elsewhere)));
        model.onServerSeen(announced(QStringLiteral("Lab"), "10.0.0.5", 7443, false));
        QVERIFY(warningOf(model, QStringLiteral("ws://10.0.0.5:7443/"))
                    .contains(QLatin1String("at this address")));
        // A TLS server announcing no fingerprint under the trusted name.
        model.onServerSeen(announced(QStringLiteral("Team chat"), "10.0.0.10", 7443, true));
        QVERIFY(
            warningOf(model, QStringLiteral("wss://10.0.0.10:7443/")).contains(QLatin1String("not the one")));
        // Names nobody pinned, alone under their name: nothing to say.
        model.onServerSeen(announced(QStringLiteral("Other"), "10.0.0.11", 7860, false));
        QCOMPARE(warningOf(model, QStringLiteral("ws://10.0.0.11:7860/")), QString());
    }

    // Anyone can announce any number of names: the list stays bounded.
    void rowsAreBounded()
    {
        DiscoveredServersModel model(browserTransport(testPort()));
        for (int i = 0; i < 200; ++i)
            model.onServerSeen(
                announced(QStringLiteral("flood %1").arg(i), "10.0.0.9", quint16(1000 + i), false));
        QCOMPARE(model.rowCount(), 64);
    }
};

QTEST_GUILESS_MAIN(TestDiscovery)
#include "tst_discovery.moc"
