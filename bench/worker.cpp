#include "worker.h"

#include "clock.h"
#include "protocol/envelope.h"

#include <QUrlQuery>
#include <QWebSocket>

#include <algorithm>

namespace confab::bench {
namespace {

// tempId = nonce(4) slot(3) seq(10) intended send time in µs (14): fixed
// width, so a send rewrites digits in place and a reader finds them by offset.
constexpr int kSlotDigits = 3, kSeqDigits = 10, kTimeDigits = 14;
constexpr int kTempIdLength = 4 + kSlotDigits + kSeqDigits + kTimeDigits;

void writeDigits(QChar* at, qint64 value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        at[i] = QChar(u'0' + char16_t(value % 10));
        value /= 10;
    }
}

qint64 readDigits(QStringView s, int width)
{
    qint64 v = 0;
    for (int i = 0; i < width && i < s.size(); ++i)
        v = v * 10 + (s[i].unicode() - u'0');
    return v;
}

// The integer after `"key":` (the server writes compact JSON; keys are
// structural because a quote inside a string value is always escaped). The
// search runs from the end: the short fields follow the content, and a
// forward search through 120+ characters of content was a fifth of the
// tool's CPU in fan-out (perf).
qint64 numberAfter(QStringView text, QLatin1String key)
{
    const qsizetype at = text.lastIndexOf(key);
    if (at < 0)
        return -1;
    qint64 v = 0;
    for (qsizetype i = at + key.size(); i < text.size() && text[i].isDigit(); ++i)
        v = v * 10 + (text[i].unicode() - u'0');
    return v;
}

QStringView tempIdIn(QStringView text)
{
    static const QLatin1String key("\"tempId\":\"");
    const qsizetype at = text.lastIndexOf(key);
    if (at < 0 || at + key.size() + kTempIdLength > text.size())
        return {};
    return text.mid(at + key.size(), kTempIdLength);
}

QString sendFrame(Id roomId, int slot, int contentBytes, int* tempIdAt)
{
    const QString head =
        QStringLiteral("{\"type\":\"send_message\",\"payload\":{\"roomId\":%1,\"tempId\":\"").arg(roomId);
    QString tempId = runNonce();
    tempId += QString(kTempIdLength - 4, u'0');
    writeDigits(tempId.data() + 4, slot, kSlotDigits);
    QString content = QStringLiteral("bench ");
    content += QString(std::max(1, contentBytes - int(content.size())), u'x');
    *tempIdAt = int(head.size());
    return head + tempId + QStringLiteral("\",\"content\":\"") + content + QStringLiteral("\"}}");
}

} // namespace

Worker::Worker(const Population& population, const TrafficConfig& config)
    : m_population(population)
    , m_config(config)
    , m_nonce(runNonce())
{
    // A child, so that moveToThread() takes the timer along to the worker thread.
    m_timer.setParent(this);
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(1);
    connect(&m_timer, &QTimer::timeout, this, &Worker::tick);
}

Worker::~Worker() = default;

void Worker::addConnection(const ConnectionSpec& spec)
{
    Conn c;
    c.spec = spec;
    c.rng = quint32(m_conns.size() * 2654435761u + 1);
    auto addSlot = [&](int room) {
        Slot s;
        const BenchRoom& r = m_population.rooms.at(room);
        s.frame = sendFrame(r.id, int(c.frames.size()), m_config.contentBytes, &s.tempIdAt);
        s.members = int(r.members.size());
        c.frames.push_back(std::move(s));
    };
    for (int g : spec.groups)
        addSlot(g);
    c.groupSlots = int(c.frames.size());
    for (int d : spec.dms)
        addSlot(d);
    if (!c.frames.empty())
        m_senders.push_back(int(m_conns.size()));
    m_conns.push_back(std::move(c));
}

void Worker::openAll()
{
    counters.firstOpenMicros = nowMicros();
    openNext();
}

// Keeps connectConcurrency handshakes in flight: more only fills the
// server's listen backlog and costs SYN retries.
void Worker::openNext()
{
    while (m_opening < m_config.connectConcurrency && m_nextToOpen < int(m_conns.size())) {
        const int index = m_nextToOpen++;
        Conn& c = m_conns[size_t(index)];
        c.socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
        c.socket->setMaxAllowedIncomingMessageSize(8 * 1024 * 1024);
        connect(c.socket, &QWebSocket::textMessageReceived, this,
                [this, index](const QString& text) { onFrame(index, text); });
        connect(c.socket, &QWebSocket::disconnected, this, [this, index] {
            Conn& conn = m_conns[size_t(index)];
            if (conn.refused)
                return; // counted when the server refused its token
            if (conn.authed) {
                ++counters.disconnects;
            } else {
                --m_opening;
                ++counters.connectFailed;
                ++connectFailures[conn.socket->errorString().isEmpty() ? QStringLiteral("closed")
                                                                       : conn.socket->errorString()];
                openNext();
            }
        });
        QUrl url = m_config.url;
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("token"), m_population.users.at(c.spec.user).token);
        url.setQuery(query);
        ++m_opening;
        c.socket->open(url);
    }
}

void Worker::onFrame(int index, const QString& text)
{
    Conn& c = m_conns[size_t(index)];
    static const QLatin1String typeKey("\"type\":\"");
    const qsizetype at = text.lastIndexOf(typeKey);
    const QStringView type = at < 0 ? QStringView() : QStringView(text).mid(at + typeKey.size());
    if (type.startsWith(u"message\"")) {
        onMessage(c, text);
    } else if (type.startsWith(u"message_ack\"")) {
        onAck(c, text);
    } else if (type.startsWith(u"error\"")) {
        onError(c, text);
    } else if (type.startsWith(u"auth_ok\"") && !c.authed) {
        c.authed = true;
        --m_opening;
        ++counters.connected;
        counters.lastAuthMicros = nowMicros();
        openNext();
    } else {
        ++otherFrames; // presence, room, mention...: not what is measured
    }
}

void Worker::onMessage(Conn& c, QStringView text)
{
    const QStringView tempId = tempIdIn(text);
    if (tempId.isEmpty() || tempId.left(4) != QStringView(m_nonce))
        return ++otherFrames, void(); // someone else's traffic
    const qint64 roomId = numberAfter(text, QLatin1String("\"roomId\":"));
    const qint64 id = numberAfter(text, QLatin1String("\"id\":"));
    auto room =
        std::find_if(c.lastIds.begin(), c.lastIds.end(), [&](const auto& p) { return p.first == roomId; });
    if (room == c.lastIds.end()) {
        c.lastIds.emplace_back(roomId, 0);
        room = c.lastIds.end() - 1;
    }
    // Ids increase with send order within a room and each connection gets a
    // room's messages in order, so one not above the last seen is a repeat.
    if (id <= room->second) {
        counters.duplicates.fetch_add(1, std::memory_order_relaxed);
        return;
    }
    room->second = id;
    counters.deliveries.fetch_add(1, std::memory_order_relaxed);
    const qint64 sentAt = readDigits(tempId.mid(4 + kSlotDigits + kSeqDigits), kTimeDigits);
    // Rates count arrivals inside the window (what the server achieved);
    // latencies count messages sent inside it, however late they arrive.
    const qint64 now = nowMicros();
    if (now >= m_windowStart && now < m_windowEnd)
        ++deliveriesInWindow;
    if (sentAt >= m_windowStart && sentAt < m_windowEnd)
        deliveryLatency.record(now - sentAt);
}

void Worker::onAck(Conn& c, QStringView text)
{
    const QStringView tempId = tempIdIn(text);
    if (tempId.isEmpty())
        return;
    const int slot = int(readDigits(tempId.mid(4), kSlotDigits));
    const qint64 sentAt = readDigits(tempId.mid(4 + kSlotDigits + kSeqDigits), kTimeDigits);
    --c.inFlight;
    counters.acked.fetch_add(1, std::memory_order_relaxed);
    if (slot >= 0 && slot < int(c.frames.size()))
        counters.expected.fetch_add(c.frames[size_t(slot)].members, std::memory_order_relaxed);
    const qint64 now = nowMicros();
    if (now >= m_windowStart && now < m_windowEnd)
        ++ackedInWindow;
    if (sentAt >= m_windowStart && sentAt < m_windowEnd)
        ackLatency.record(now - sentAt);
    if (m_sending && m_config.window > 0)
        sendOne(c, nowMicros());
}

void Worker::onError(Conn& c, const QString& text)
{
    auto env = Envelope::parse(text.toUtf8());
    const QString code =
        env ? env->payload.value(QStringLiteral("code")).toString() : QStringLiteral("unparsable");
    ++errorCodes[code];
    if (!c.authed) {
        // A refused handshake token: this connection will never be usable.
        c.refused = true;
        --m_opening;
        ++counters.connectFailed;
        ++connectFailures[code];
        c.socket->abort();
        openNext();
        return;
    }
    --c.inFlight;
    counters.errors.fetch_add(1, std::memory_order_relaxed);
    if (m_sending && m_config.window > 0)
        sendOne(c, nowMicros());
}

void Worker::sendOne(Conn& c, qint64 intendedMicros)
{
    if (!c.authed || !c.socket || c.socket->state() != QAbstractSocket::ConnectedState)
        return;
    size_t slot = 0;
    if (c.frames.size() > 1) {
        c.rng ^= c.rng << 13, c.rng ^= c.rng >> 17, c.rng ^= c.rng << 5; // xorshift32
        const bool dm = c.groupSlots < int(c.frames.size()) &&
                        (c.groupSlots == 0 || double(c.rng % 10000) < m_config.dmShare * 10000);
        const int first = dm ? c.groupSlots : 0;
        const int count = dm ? int(c.frames.size()) - c.groupSlots : c.groupSlots;
        slot = size_t(first + int((c.rng >> 8) % quint32(count)));
    }
    Slot& s = c.frames[slot];
    QChar* digits = s.frame.data() + s.tempIdAt + 4 + kSlotDigits;
    writeDigits(digits, ++c.seq, kSeqDigits);
    writeDigits(digits + kSeqDigits, intendedMicros, kTimeDigits);
    c.socket->sendTextMessage(s.frame);
    ++c.inFlight;
    counters.sent.fetch_add(1, std::memory_order_relaxed);
}

void Worker::startTraffic(qint64 startMicros, double rate)
{
    m_start = startMicros;
    m_windowStart = startMicros + qint64(m_config.warmupSeconds * 1e6);
    m_windowEnd = m_windowStart + qint64(m_config.durationSeconds * 1e6);
    m_rate = rate;
    m_sending = true;
    if (m_config.window > 0) {
        for (int index : m_senders)
            for (int i = 0; i < m_config.window; ++i)
                sendOne(m_conns[size_t(index)], nowMicros());
    } else if (m_rate > 0 && !m_senders.empty()) {
        m_timer.start();
    }
}

// Open loop: the k-th send is due at start + k/rate whatever the server does,
// and is stamped with that time, so a stalled server shows as latency (no
// coordinated omission) and the lag behind schedule is reported.
void Worker::tick()
{
    if (!m_sending)
        return;
    const qint64 now = nowMicros();
    const qint64 due = qint64(double(now - m_start) * m_rate / 1e6);
    // Lag counts only in the measured window: warm-up absorbs the start-up
    // burst (with a big room, every sign-in is a presence push to all members).
    if (due > m_sentByClock && now >= m_windowStart) {
        const qint64 intended = m_start + qint64(double(m_sentByClock) * 1e6 / m_rate);
        maxSendLagMs = std::max(maxSendLagMs, double(now - intended) / 1000.0);
    }
    while (m_sentByClock < due) {
        const qint64 intended = m_start + qint64(double(m_sentByClock) * 1e6 / m_rate);
        ++m_sentByClock;
        sendOne(m_conns[size_t(m_senders[size_t(m_nextSender++ % qint64(m_senders.size()))])], intended);
    }
}

void Worker::stopTraffic()
{
    m_sending = false;
    m_timer.stop();
}

void Worker::closeAll()
{
    stopTraffic();
    for (Conn& c : m_conns) {
        if (c.socket) {
            c.socket->disconnect(this);
            c.socket->abort();
            delete c.socket;
            c.socket = nullptr;
        }
    }
}

} // namespace confab::bench
