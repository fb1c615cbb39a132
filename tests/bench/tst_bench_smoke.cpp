// confab-bench's scenarios, each for about a second against a server it
// spawns, at a load so light that anything lost or duplicated is a bug in the
// tool (or the server), not saturation.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>
#include <QtNumeric>

class TestBenchSmoke : public QObject {
    Q_OBJECT

private:
    QJsonObject run(const QStringList& args)
    {
        const QString bench = qEnvironmentVariable("CONFAB_BENCH_BIN");
        const QString server = qEnvironmentVariable("CONFAB_SERVER_BIN");
        if (bench.isEmpty() || server.isEmpty())
            qFatal("CONFAB_BENCH_BIN and CONFAB_SERVER_BIN must be set (ctest sets them)");
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        p.start(bench, args + QStringList{QStringLiteral("--spawn"), server, QStringLiteral("--json"),
                                          QStringLiteral("--warmup"), QStringLiteral("0.3"),
                                          QStringLiteral("--duration"), QStringLiteral("1")});
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return {};
        }
        const QByteArray out = p.readAllStandardOutput();
        if (p.exitCode() != 0)
            qWarning().noquote() << "confab-bench exited" << p.exitCode() << out;
        return QJsonDocument::fromJson(out).object();
    }

    // A figure of the report. A missing or non-numeric one fails the test
    // at once, naming it: no comparison below may pass on a default value
    // (at() used to return -1, so "> -1e9" passed without the figure).
    static double at(const QJsonObject& o, const char* section, const char* key)
    {
        const QJsonValue v = o.value(QLatin1String(section)).toObject().value(QLatin1String(key));
        if (!v.isDouble()) {
            QTest::qFail(qPrintable(QStringLiteral("the report has no number %1.%2")
                                        .arg(QLatin1String(section), QLatin1String(key))),
                         __FILE__, __LINE__);
            return qQNaN();
        }
        return v.toDouble();
    }

    // Everything sent was acked and delivered exactly once to every member.
    static void checkTraffic(const QJsonObject& o)
    {
        QVERIFY2(!o.isEmpty(), "no JSON report");
        QVERIFY(at(o, "delivery", "sent") > 0);
        QCOMPARE(at(o, "delivery", "acked"), at(o, "delivery", "sent"));
        QCOMPARE(at(o, "delivery", "errors"), 0.0);
        QVERIFY(at(o, "delivery", "deliveries") > 0);
        QCOMPARE(at(o, "delivery", "lost"), 0.0);
        QCOMPARE(at(o, "delivery", "duplicates"), 0.0);
        QCOMPARE(at(o, "delivery", "deliveries"), at(o, "delivery", "expectedDeliveries"));
        QVERIFY(at(o, "throughput", "deliveriesPerSecond") > 0);
        const QJsonObject latency = o.value(QLatin1String("latency")).toObject();
        const QJsonObject delivery = latency.value(QLatin1String("sendToDelivery")).toObject();
        QVERIFY(delivery.value(QLatin1String("count")).toDouble() > 0);
        QVERIFY(delivery.value(QLatin1String("p50Ms")).toDouble() <=
                delivery.value(QLatin1String("p99Ms")).toDouble());
        QVERIFY(delivery.value(QLatin1String("p99Ms")).toDouble() <=
                delivery.value(QLatin1String("maxMs")).toDouble());
        QVERIFY(at(o, "server", "cpuSeconds") >= 0);
        QVERIFY(at(o, "server", "rssAfterKiB") > 0);
    }

private slots:
    void fanout()
    {
        checkTraffic(run({QStringLiteral("fanout"), QStringLiteral("--members"), QStringLiteral("50"),
                          QStringLiteral("--rate"), QStringLiteral("50")}));
    }

    void chatmix()
    {
        checkTraffic(run({QStringLiteral("chatmix"), QStringLiteral("--users"), QStringLiteral("60"),
                          QStringLiteral("--rate"), QStringLiteral("60")}));
    }

    void ingest()
    {
        const QJsonObject o = run({QStringLiteral("ingest"), QStringLiteral("--senders"), QStringLiteral("2"),
                                   QStringLiteral("--window"), QStringLiteral("4")});
        checkTraffic(o);
        QVERIFY(at(o, "throughput", "sendsAckedPerSecond") > 0);
    }

    void connections()
    {
        const QJsonObject o = run({QStringLiteral("connections"), QStringLiteral("--connections"),
                                   QStringLiteral("100"), QStringLiteral("--hold"), QStringLiteral("0.5")});
        QVERIFY2(!o.isEmpty(), "no JSON report");
        QCOMPARE(at(o, "connections", "opened"), 100.0);
        QCOMPARE(at(o, "connections", "openAfterHold"), 100.0);
        QVERIFY(at(o, "connections", "handshakesPerSecond") > 0);
        // RSS delta / connections: present and finite. It may be negative
        // (the server can give memory back), so it is reported, not bounded.
        const double perConnection = at(o, "connections", "serverBytesPerConnection");
        QVERIFY(qIsFinite(perConnection));
        qInfo("server bytes per connection: %.0f", perConnection);
    }

    void history()
    {
        const QJsonObject o =
            run({QStringLiteral("history"), QStringLiteral("--messages"), QStringLiteral("500"),
                 QStringLiteral("--users"), QStringLiteral("20"), QStringLiteral("--pages"),
                 QStringLiteral("10"), QStringLiteral("--searches"), QStringLiteral("1"),
                 QStringLiteral("--chatmix-rate"), QStringLiteral("20")});
        checkTraffic(o);
        const QJsonObject latency = o.value(QLatin1String("latency")).toObject();
        for (const char* probe : {"fetchNewestPage", "fetchOlderPage", "searchEnglish", "searchChinese3plus",
                                  "searchChinese1to2"})
            QVERIFY2(latency.value(QLatin1String(probe)).toObject().value(QLatin1String("count")).toDouble() >
                         0,
                     probe);
        QCOMPARE(at(o, "errors", "probeErrors"), 0.0);
    }

    // The flood scenario's four kinds, briefly (issue 12's figures come from
    // the long versions, bench/README.md).
    void flood_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("ping") << QStringList{QStringLiteral("--kind"), QStringLiteral("ping")};
        QTest::newRow("typing") << QStringList{QStringLiteral("--kind"), QStringLiteral("typing"),
                                               QStringLiteral("--frames"), QStringLiteral("3000")};
        QTest::newRow("mark_read") << QStringList{QStringLiteral("--kind"), QStringLiteral("mark_read"),
                                                  QStringLiteral("--frames"), QStringLiteral("500")};
        QTest::newRow("search") << QStringList{QStringLiteral("--kind"),     QStringLiteral("search"),
                                               QStringLiteral("--frames"),   QStringLiteral("200"),
                                               QStringLiteral("--messages"), QStringLiteral("300")};
    }

    void flood()
    {
        QFETCH(QStringList, args);
        const QJsonObject o = run(QStringList{QStringLiteral("flood")} + args);
        QVERIFY2(!o.isEmpty(), "no JSON report");
        const QJsonObject latency = o.value(QLatin1String("latency")).toObject();
        QVERIFY(latency.value(QLatin1String("aliceSendToAckIdle"))
                    .toObject()
                    .value(QLatin1String("count"))
                    .toDouble() >= 20);
        QVERIFY(latency.value(QLatin1String("aliceSendToAckDuringFlood"))
                    .toObject()
                    .value(QLatin1String("count"))
                    .toDouble() > 0);
        QCOMPARE(at(o, "errors", "aliceErrors"), 0.0);
        const QString kind = args.at(1);
        if (kind == QLatin1String("ping")) {
            QVERIFY(at(o, "flood", "bytesSent") > 0);
            QVERIFY2(at(o, "server", "rssGrowthKiB") < 64 * 1024, "the server grew under a ping flood");
            QVERIFY(at(o, "server", "rssAfterCloseKiB") > 0);
        } else if (kind == QLatin1String("typing")) {
            const double relayed = at(o, "flood", "typingRelayedToReader");
            QVERIFY2(relayed >= 2 && relayed <= 12, qPrintable(QString::number(relayed)));
            QCOMPARE(at(o, "flood", "nonReaderDisconnected"), 0.0);
        } else {
            QCOMPARE(at(o, "flood", "answered"), args.at(3).toDouble());
        }
    }
};

QTEST_GUILESS_MAIN(TestBenchSmoke)
#include "tst_bench_smoke.moc"
