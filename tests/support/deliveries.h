#pragma once

#include "test_client.h"

#include <QElapsedTimer>
#include <QList>
#include <QSet>
#include <QTest>

// "Exactly once" seen from a connection: every delivery counted, for a while
// after the last expected one too, so that a late duplicate cannot pass.
namespace confab::test {

// How long a connection must stay silent after the expected deliveries: well
// past the cluster's change poll (pollMs, 1 s) and its gap re-reads.
inline constexpr int kQuietWindowMs = 1500;

struct Deliveries {
    QList<qint64> ids;     // message ids in arrival order, repeats included
    QStringList contents;  // the same order
    QSet<qint64> distinct; // ids.size() > distinct.size(): something came twice
    int duplicates() const { return int(ids.size() - distinct.size()); }
};

// Takes every `message` event `reader` receives until `expected` distinct
// ids have arrived (or timeoutMs passed), then keeps taking them for
// quietMs more.
inline Deliveries collectMessages(TestClient& reader, int expected, int timeoutMs,
                                  int quietMs = kQuietWindowMs)
{
    Deliveries seen;
    const auto take = [&] {
        for (const QJsonObject& event : reader.takeAll(QStringLiteral("message"))) {
            const QJsonObject message = payloadOf(event).value(QLatin1String("message")).toObject();
            const qint64 id = idOf(message.value(QLatin1String("id")));
            seen.ids.append(id);
            seen.contents.append(message.value(QLatin1String("content")).toString());
            seen.distinct.insert(id);
        }
    };
    (void)QTest::qWaitFor(
        [&] {
            take();
            return seen.distinct.size() >= expected;
        },
        timeoutMs);
    QElapsedTimer quiet;
    quiet.start();
    while (quiet.elapsed() < quietMs) {
        QTest::qWait(50);
        take();
    }
    return seen;
}

} // namespace confab::test
