#pragma once

#include "histogram.h"
#include "load_engine.h"
#include "raw_ws_client.h"

#include <QByteArray>
#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <memory>
#include <unordered_set>
#include <vector>

namespace confab::bench {

// What the main thread may read while a worker runs.
struct alignas(64) WorkerCounters {
    std::atomic<qint64> connected{0}, connectFailed{0}, disconnects{0};
    std::atomic<qint64> sent{0}, acked{0}, errors{0};
    std::atomic<qint64> deliveries{0}, duplicates{0}, expected{0};
    std::atomic<qint64> firstOpenMicros{0}, lastAuthMicros{0};
};

// One worker thread's connections and their hot paths. Every method runs on
// the worker's thread (the engine calls them through queued invocations).
// Frames arrive as UTF-8 bytes (RawWsClient) and are scanned as bytes.
class Worker : public QObject, private RawWsClient::Listener {
    Q_OBJECT
public:
    Worker(const Population& population, const TrafficConfig& config);
    ~Worker() override;

    void addConnection(const ConnectionSpec& spec);
    void openAll();
    // window == 0: open loop at `rate` sends/s shared by this worker's senders.
    void startTraffic(qint64 startMicros, double rate);
    void stopTraffic();
    void closeAll();

    WorkerCounters counters;
    // Read only after stopTraffic() has run on the worker thread.
    Histogram ackLatency, deliveryLatency;
    QMap<QString, qint64> errorCodes, connectFailures;
    qint64 otherFrames = 0, ackedInWindow = 0, deliveriesInWindow = 0;
    double maxSendLagMs = 0;
    int senderCount() const { return int(m_senders.size()); }
    int connectionCount() const { return int(m_conns.size()); }

private:
    struct Slot {
        // A complete masked send_message frame; the tempId digits are
        // rewritten (masked) in place per send.
        QByteArray frame;
        int payloadAt = 0; // where the payload starts: the mask key is the 4 bytes before
        int tempIdAt = 0;  // frame offset of the tempId's first character
        int members = 0;
    };
    struct Conn {
        std::unique_ptr<RawWsClient> client;
        ConnectionSpec spec;
        quint32 maskKey = 0;      // one per connection: the server requires masking, not fresh keys
        std::vector<Slot> frames; // groups first, then DMs
        int groupSlots = 0;
        bool authed = false;
        bool refused = false; // the server rejected its token at the handshake
        qint64 seq = 0;
        int inFlight = 0;
        quint32 rng = 1;
        std::vector<std::pair<qint64, qint64>> lastIds; // roomId -> newest message id seen
        // Across instances (TrafficConfig::instanceUrls) a room's messages
        // may arrive out of id order, as the protocol allows: the ids seen,
        // a window of them, tell a repeat from a late one.
        std::unordered_set<qint64> seenIds;
        qint64 seenPrunedAt = 0;
    };

    void openNext();
    void wsOpened(int) override {} // a connection counts as open at its auth_ok
    void wsText(int index, QByteArrayView payload) override;
    void wsClosed(int index, const QString& why) override;
    void onMessage(Conn& c, QByteArrayView text);
    void onAck(Conn& c, QByteArrayView text);
    void onError(Conn& c, QByteArrayView text);
    void sendOne(Conn& c, qint64 intendedMicros);
    void tick();

    const Population& m_population;
    TrafficConfig m_config;
    const QByteArray m_nonce;
    std::vector<Conn> m_conns;
    std::vector<int> m_senders;
    int m_nextToOpen = 0, m_opening = 0;
    bool m_inOpenNext = false; // a connect can fail inside open(): no recursion
    QHostAddress m_address;    // m_config.url's host, resolved once
    QByteArray m_hostHeader;
    QTimer m_timer;
    bool m_sending = false;
    qint64 m_start = 0, m_windowStart = 0, m_windowEnd = 0, m_sentByClock = 0, m_nextSender = 0;
    double m_rate = 0;
};

} // namespace confab::bench
