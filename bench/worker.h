#pragma once

#include "histogram.h"
#include "load_engine.h"

#include <QMap>
#include <QObject>
#include <QString>
#include <QTimer>

#include <atomic>
#include <vector>

class QWebSocket;

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
class Worker : public QObject {
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
        QString frame; // a complete send_message frame; tempId digits rewritten per send
        int tempIdAt = 0;
        int members = 0;
    };
    struct Conn {
        QWebSocket* socket = nullptr;
        ConnectionSpec spec;
        std::vector<Slot> frames; // groups first, then DMs
        int groupSlots = 0;
        bool authed = false;
        bool refused = false; // the server rejected its token at the handshake
        qint64 seq = 0;
        int inFlight = 0;
        quint32 rng = 1;
        std::vector<std::pair<qint64, qint64>> lastIds; // roomId -> newest message id seen
    };

    void openNext();
    void onFrame(int index, const QString& text);
    void onMessage(Conn& c, QStringView text);
    void onAck(Conn& c, QStringView text);
    void onError(Conn& c, const QString& text);
    void sendOne(Conn& c, qint64 intendedMicros);
    void tick();

    const Population& m_population;
    TrafficConfig m_config;
    const QString m_nonce;
    std::vector<Conn> m_conns;
    std::vector<int> m_senders;
    int m_nextToOpen = 0, m_opening = 0;
    QTimer m_timer;
    bool m_sending = false;
    qint64 m_start = 0, m_windowStart = 0, m_windowEnd = 0, m_sentByClock = 0, m_nextSender = 0;
    double m_rate = 0;
};

} // namespace confab::bench
