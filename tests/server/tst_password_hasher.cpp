// PasswordHasher's bounded queue on its own (issue 12, item 2): the bounds
// per connection, per address and server-wide, places given back, the round
// robin between addresses and connections, and a closed connection's work
// dropped unrun. Real argon2id hashes (one thread: they run one at a time).
#include "password_hasher.h"

#include <QTest>

#include <optional>

using namespace confab;
using namespace confab::server;
using Refusal = PasswordHasher::Refusal;

class TestPasswordHasher : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { QVERIFY(initCrypto()); }

    void boundsPerConnectionAddressAndQueue()
    {
        PasswordHasher hasher({1, 3, 2, 3});
        const HashClient a1{1, QStringLiteral("10.0.0.1")};
        const HashClient a2{2, QStringLiteral("10.0.0.1")};
        const HashClient b{3, QStringLiteral("10.0.0.2")};
        const HashClient c{4, QStringLiteral("10.0.0.3")};

        const auto first = hasher.admit(a1);
        QVERIFY(first);
        QVERIFY(hasher.admit(a1));
        const auto connectionFull = hasher.admit(a1);
        QVERIFY(!connectionFull);
        QCOMPARE(connectionFull.refusal, Refusal::Connection);
        QVERIFY(connectionFull.retryAfterMs > 0);

        QVERIFY(hasher.admit(a2)); // the address's third
        const auto addressFull = hasher.admit(a2);
        QCOMPARE(addressFull.refusal, Refusal::Address);

        const auto queueFull = hasher.admit(b); // 3 waiting server-wide
        QCOMPARE(queueFull.refusal, Refusal::Queue);
        QCOMPARE(hasher.waiting(), 3);

        // A place given back unused is free again, for anyone.
        hasher.release(first.ticket);
        QCOMPARE(hasher.waiting(), 2);
        QVERIFY(hasher.admit(b));
        QCOMPARE(hasher.admit(c).refusal, Refusal::Queue);
        QCOMPARE(hasher.started(), quint64(0)); // nothing was handed work
    }

    void workStartsRoundRobinBetweenAddressesThenConnections()
    {
        PasswordHasher hasher({1, 10, 5, 5});
        QStringList order;
        auto submit = [&](const HashClient& client, const QString& name) {
            const auto admission = hasher.admit(client);
            QVERIFY(admission);
            hasher.verify(admission.ticket, QStringLiteral("pw"), QByteArray(),
                          [&order, name](bool) { order.append(name); });
        };
        const HashClient a{1, QStringLiteral("x")};
        const HashClient b{2, QStringLiteral("x")};
        const HashClient c{3, QStringLiteral("y")};
        // a's first starts at once; then a floods, b and c ask once each.
        submit(a, QStringLiteral("a1"));
        submit(a, QStringLiteral("a2"));
        submit(a, QStringLiteral("a3"));
        submit(b, QStringLiteral("b1"));
        submit(c, QStringLiteral("c1"));
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 5, 30000);
        // Address x, then y, then x again (its next connection, b), then a.
        QCOMPARE(order, QStringList({QStringLiteral("a1"), QStringLiteral("a2"), QStringLiteral("c1"),
                                     QStringLiteral("b1"), QStringLiteral("a3")}));
        QCOMPARE(hasher.started(), quint64(5));
        QCOMPARE(hasher.waiting(), 0);
        QCOMPARE(hasher.running(), 0);
    }

    void closedConnectionsWorkIsDropped()
    {
        PasswordHasher hasher({1, 10, 10, 10});
        const HashClient flooder{1, QStringLiteral("x")};
        const HashClient user{2, QStringLiteral("y")};
        int flooderDone = 0;
        for (int i = 0; i < 6; ++i) {
            const auto admission = hasher.admit(flooder);
            QVERIFY(admission);
            hasher.verify(admission.ticket, QStringLiteral("pw"), QByteArray(),
                          [&flooderDone](bool) { ++flooderDone; });
        }
        const auto reserved = hasher.admit(flooder); // admitted, its work not handed over yet
        QVERIFY(reserved);
        QCOMPARE(hasher.running(), 1);
        hasher.dropConnection(flooder.connection);
        QCOMPARE(hasher.waiting(), 0);
        // Work handed over later for a dropped place does not run either.
        hasher.verify(reserved.ticket, QStringLiteral("pw"), QByteArray(),
                      [&flooderDone](bool) { ++flooderDone; });

        std::optional<Result<QByteArray>> hashed;
        const auto mine = hasher.admit(user);
        QVERIFY(mine);
        hasher.hash(mine.ticket, QStringLiteral("correct horse"),
                    [&hashed](Result<QByteArray> r) { hashed = r; });
        QTRY_VERIFY_WITH_TIMEOUT(hashed.has_value(), 30000);
        QVERIFY(hashed->ok());
        QVERIFY(PasswordHasher::verifyNow(QStringLiteral("correct horse"), hashed->value()));
        QCOMPARE(flooderDone, 0);               // the running one finished, but its answer went nowhere
        QCOMPARE(hasher.started(), quint64(2)); // that one and the user's
        QCOMPARE(hasher.running(), 0);
        // Its places are free again.
        for (int i = 0; i < 10; ++i)
            QVERIFY(hasher.admit(flooder));
    }
};

QTEST_GUILESS_MAIN(TestPasswordHasher)
#include "tst_password_hasher.moc"
