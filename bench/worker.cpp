#include "worker.h"

#include "clock.h"
#include "protocol/envelope.h"

#include <QHostInfo>
#include <QRandomGenerator>
#include <QUrlQuery>

#include <algorithm>
#include <cstring>

namespace confab::bench {
namespace {

// tempId = nonce(4) slot(3) seq(10) intended send time in µs (14): fixed
// width, so a send rewrites digits in place and a reader finds them by offset.
constexpr int kSlotDigits = 3, kSeqDigits = 10, kTimeDigits = 14;
constexpr int kTempIdLength = 4 + kSlotDigits + kSeqDigits + kTimeDigits;

void writeDigits(char* at, qint64 value, int width)
{
    for (int i = width - 1; i >= 0; --i) {
        at[i] = char('0' + value % 10);
        value /= 10;
    }
}

// The same into a masked frame: payload byte i is sent XORed with key[i % 4],
// and the key is the 4 bytes in front of the payload (RFC 6455 §5.3).
void writeMaskedDigits(QByteArray& frame, int payloadAt, int at, qint64 value, int width)
{
    char* data = frame.data();
    const char* key = data + payloadAt - 4;
    for (int i = at + width - 1; i >= at; --i) {
        data[i] = char(('0' + value % 10) ^ key[(i - payloadAt) & 3]);
        value /= 10;
    }
}

qint64 readDigits(QByteArrayView s, int width)
{
    qint64 v = 0;
    for (int i = 0; i < width && i < s.size(); ++i)
        v = v * 10 + (s[i] - '0');
    return v;
}

// Where the value of the last `"key":` starts, or -1 (the server writes
// compact JSON; keys are structural because a quote inside a string value is
// always escaped). The search runs from the end: the short fields follow the
// content (the server's keys are sorted), and a forward search through 120+
// bytes of content was a fifth of the tool's CPU in fan-out (perf). It hops
// from colon to colon with memrchr: the same match as lastIndexOf(key), but
// QByteArrayView::lastIndexOf hashes every byte on the way and was still 18 %
// of the tool's samples with four keys per frame.
qsizetype valueAt(QByteArrayView text, QByteArrayView key)
{
    const char* base = text.data();
    qsizetype limit = text.size();
    while (limit > 0) {
        const void* hit = memrchr(base, ':', size_t(limit));
        if (!hit)
            return -1;
        const qsizetype colon = static_cast<const char*>(hit) - base;
        const qsizetype start = colon + 1 - key.size();
        // The name's first letter first: a libc memcmp at every colon was 6 % of samples.
        if (start >= 0 && base[start + 1] == key[1] &&
            std::memcmp(base + start, key.data(), size_t(key.size())) == 0)
            return colon + 1;
        limit = colon;
    }
    return -1;
}

// The integer after `"key":`.
qint64 numberAfter(QByteArrayView text, QByteArrayView key)
{
    const qsizetype at = valueAt(text, key);
    if (at < 0)
        return -1;
    qint64 v = 0;
    for (qsizetype i = at; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i)
        v = v * 10 + (text[i] - '0');
    return v;
}

QByteArrayView tempIdIn(QByteArrayView text)
{
    const qsizetype at = valueAt(text, "\"tempId\":");
    if (at < 0 || at + 1 + kTempIdLength > text.size() || text[at] != '"')
        return {};
    return text.sliced(at + 1, kTempIdLength);
}

// A masked send_message frame for `roomId`; the tempId's seq and time digits
// are zeros until sendOne() writes them.
QByteArray sendFrame(const QByteArray& nonce, Id roomId, int slot, const QByteArray& content, quint32 maskKey,
                     int* payloadAt, int* tempIdAt)
{
    QByteArray payload =
        "{\"type\":\"send_message\",\"payload\":{\"roomId\":" + QByteArray::number(roomId) + ",\"tempId\":\"";
    const int tempIdOffset = int(payload.size());
    payload += nonce + QByteArray(kTempIdLength - 4, '0');
    writeDigits(payload.data() + tempIdOffset + 4, slot, kSlotDigits);
    payload += "\",\"content\":\"";
    payload += content;
    payload += "\"}}";
    QByteArray frame = server::ws::encodeMaskedFrame(server::ws::Opcode::Text, payload, maskKey);
    *payloadAt = int(frame.size() - payload.size());
    *tempIdAt = *payloadAt + tempIdOffset;
    return frame;
}

} // namespace

Worker::Worker(const Population& population, const TrafficConfig& config)
    : m_population(population)
    , m_config(config)
    , m_nonce(runNonce().toLatin1())
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
    c.maskKey = QRandomGenerator::global()->generate();
    auto addSlot = [&](int room) {
        Slot s;
        const BenchRoom& r = m_population.rooms.at(room);
        const quint32 textSeed = quint32(spec.user) * 7919u + quint32(c.frames.size());
        s.frame = sendFrame(m_nonce, r.id, int(c.frames.size()),
                            sampleText(m_config.text, textSeed, m_config.contentBytes), c.maskKey,
                            &s.payloadAt, &s.tempIdAt);
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
    const QString host = m_config.url.host();
    if (!m_address.setAddress(host)) { // a name: resolved once, before any connect
        const QList<QHostAddress> found = QHostInfo::fromName(host).addresses();
        m_address = found.isEmpty() ? QHostAddress() : found.first();
    }
    m_hostHeader = m_config.url.adjusted(QUrl::RemoveUserInfo).authority(QUrl::FullyEncoded).toLatin1();
    counters.firstOpenMicros = nowMicros();
    openNext();
}

// Keeps connectConcurrency handshakes in flight: more only fills the
// server's listen backlog and costs SYN retries.
void Worker::openNext()
{
    if (m_inOpenNext)
        return; // a connect that failed inside open(): the loop below goes on
    m_inOpenNext = true;
    while (m_opening < m_config.connectConcurrency && m_nextToOpen < int(m_conns.size())) {
        const int index = m_nextToOpen++;
        Conn& c = m_conns[size_t(index)];
        RawWsClient::Listener& listener = *this; // a private base: converted here, not in make_unique
        c.client = std::make_unique<RawWsClient>(listener, index);
        QUrl url = m_config.url;
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("token"), m_population.users.at(c.spec.user).token);
        url.setQuery(query);
        QByteArray target = url.toEncoded(QUrl::RemoveScheme | QUrl::RemoveAuthority | QUrl::RemoveFragment);
        if (!target.startsWith('/'))
            target.prepend('/');
        ++m_opening;
        if (m_address.isNull())
            wsClosed(index, QStringLiteral("host not found: ") + m_config.url.host());
        else
            c.client->open(m_address, quint16(m_config.url.port(80)), target, m_hostHeader);
    }
    m_inOpenNext = false;
}

void Worker::wsClosed(int index, const QString& why)
{
    Conn& c = m_conns[size_t(index)];
    if (c.refused)
        return; // counted when the server refused its token
    if (c.authed) {
        ++counters.disconnects;
    } else {
        --m_opening;
        ++counters.connectFailed;
        ++connectFailures[why.isEmpty() ? QStringLiteral("closed") : why];
        openNext();
    }
}

void Worker::wsText(int index, QByteArrayView text)
{
    Conn& c = m_conns[size_t(index)];
    const qsizetype at = valueAt(text, "\"type\":");
    const QByteArrayView type = at < 0 ? QByteArrayView() : text.sliced(at);
    if (type.startsWith("\"message\"")) {
        onMessage(c, text);
    } else if (type.startsWith("\"message_ack\"")) {
        onAck(c, text);
    } else if (type.startsWith("\"error\"")) {
        onError(c, text);
    } else if (type.startsWith("\"auth_ok\"") && !c.authed) {
        c.authed = true;
        --m_opening;
        ++counters.connected;
        counters.lastAuthMicros = nowMicros();
        openNext();
    } else {
        ++otherFrames; // presence, room, mention...: not what is measured
    }
}

void Worker::onMessage(Conn& c, QByteArrayView text)
{
    const QByteArrayView tempId = tempIdIn(text);
    if (tempId.isEmpty() || tempId.first(4) != QByteArrayView(m_nonce))
        return ++otherFrames, void(); // someone else's traffic
    const qint64 roomId = numberAfter(text, "\"roomId\":");
    const qint64 id = numberAfter(text, "\"id\":");
    auto room =
        std::find_if(c.lastIds.begin(), c.lastIds.end(), [&](const auto& p) { return p.first == roomId; });
    if (room == c.lastIds.end()) {
        c.lastIds.emplace_back(roomId, 0);
        room = c.lastIds.end() - 1;
    }
    if (m_config.instanceUrls.isEmpty()) {
        // One server: ids increase with send order within a room and each
        // connection gets a room's messages in order, so one not above the
        // last seen is a repeat.
        if (id <= room->second) {
            counters.duplicates.fetch_add(1, std::memory_order_relaxed);
            return;
        }
    } else {
        // A cluster: another instance's messages may come later than newer
        // ones. Ids 100,000 below the newest (a minute at these rates) are
        // forgotten, and one that old counts as a repeat.
        constexpr qint64 kWindow = 100'000;
        if (id <= c.seenPrunedAt || !c.seenIds.insert(id).second) {
            counters.duplicates.fetch_add(1, std::memory_order_relaxed);
            return;
        }
        const qint64 cut = id - kWindow;
        if (qint64(c.seenIds.size()) > kWindow / 10 && cut > c.seenPrunedAt + kWindow / 10) {
            c.seenPrunedAt = cut;
            for (auto it = c.seenIds.begin(); it != c.seenIds.end();)
                it = *it <= cut ? c.seenIds.erase(it) : std::next(it);
        }
    }
    room->second = std::max(room->second, id);
    counters.deliveries.fetch_add(1, std::memory_order_relaxed);
    const qint64 sentAt = readDigits(tempId.sliced(4 + kSlotDigits + kSeqDigits), kTimeDigits);
    // Rates count arrivals inside the window (what the server achieved);
    // latencies count messages sent inside it, however late they arrive.
    const qint64 now = nowMicros();
    if (now >= m_windowStart && now < m_windowEnd)
        ++deliveriesInWindow;
    if (sentAt >= m_windowStart && sentAt < m_windowEnd)
        deliveryLatency.record(now - sentAt);
}

void Worker::onAck(Conn& c, QByteArrayView text)
{
    const QByteArrayView tempId = tempIdIn(text);
    if (tempId.isEmpty())
        return;
    const int slot = int(readDigits(tempId.sliced(4), kSlotDigits));
    const qint64 sentAt = readDigits(tempId.sliced(4 + kSlotDigits + kSeqDigits), kTimeDigits);
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

void Worker::onError(Conn& c, QByteArrayView text)
{
    auto env = Envelope::parse(text.toByteArray());
    const QString code =
        env ? env->payload.value(QStringLiteral("code")).toString() : QStringLiteral("unparsable");
    ++errorCodes[code];
    if (!c.authed) {
        // A refused handshake token: this connection will never be usable.
        c.refused = true;
        --m_opening;
        ++counters.connectFailed;
        ++connectFailures[code];
        c.client->abort();
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
    if (!c.authed || !c.client || !c.client->isOpen())
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
    const int digits = s.tempIdAt + 4 + kSlotDigits;
    writeMaskedDigits(s.frame, s.payloadAt, digits, ++c.seq, kSeqDigits);
    writeMaskedDigits(s.frame, s.payloadAt, digits + kSeqDigits, intendedMicros, kTimeDigits);
    c.client->sendFrame(s.frame);
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
    // Sends due by now: the k-th (from 0) is due at m_start + k / rate, so
    // floor(elapsed * rate) + 1 of them. (Without the + 1 every send went
    // out one interval late: 10 ms at 100/s, added to every latency.)
    const qint64 due = qint64(double(now - m_start) * m_rate / 1e6) + 1;
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
    for (Conn& c : m_conns)
        c.client.reset(); // closes without calling back
}

} // namespace confab::bench
