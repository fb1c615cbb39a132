#include "discovery/dns_message.h"

#include <QHash>
#include <QtEndian>

namespace confab::discovery {
namespace {

constexpr quint16 kTopBit = 0x8000;
// More records than fit in a jumbo packet at their smallest (11 bytes) is a lie.
constexpr int kMaxRecordsPerSection = kMaxMessageBytes / 11;

Error malformed(const char* what)
{
    return makeError(ErrorCode::BadRequest, QStringLiteral("malformed DNS message: ") + QLatin1String(what));
}

bool asciiEqualsIgnoringCase(const QByteArray& a, const QByteArray& b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        char x = a.at(i), y = b.at(i);
        if (x >= 'A' && x <= 'Z')
            x = char(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = char(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return true;
}

// Reads the untrusted datagram; every read checks the bounds first.
class Reader {
public:
    explicit Reader(const QByteArray& data)
        : m_data(reinterpret_cast<const uchar*>(data.constData()))
        , m_size(int(data.size()))
    {}

    int pos() const { return m_pos; }
    int size() const { return m_size; }
    bool atEnd() const { return m_pos == m_size; }

    bool u16(quint16* out)
    {
        if (m_size - m_pos < 2)
            return false;
        *out = qFromBigEndian<quint16>(m_data + m_pos);
        m_pos += 2;
        return true;
    }
    bool u32(quint32* out)
    {
        if (m_size - m_pos < 4)
            return false;
        *out = qFromBigEndian<quint32>(m_data + m_pos);
        m_pos += 4;
        return true;
    }
    bool bytes(int n, QByteArray* out)
    {
        if (n < 0 || m_size - m_pos < n)
            return false;
        *out = QByteArray(reinterpret_cast<const char*>(m_data + m_pos), n);
        m_pos += n;
        return true;
    }

    // A possibly compressed name. Each pointer must point before the place
    // where the labels being read started, so every jump goes strictly
    // backwards and a loop cannot exist; the name's length is capped too.
    Result<DnsName> name()
    {
        DnsName name;
        int p = m_pos;
        int segmentStart = m_pos;
        bool jumped = false;
        int wireLength = 1;
        for (;;) {
            if (p >= m_size)
                return malformed("name runs past the end");
            const uchar length = m_data[p];
            if ((length & 0xC0) == 0xC0) {
                if (p + 1 >= m_size)
                    return malformed("truncated compression pointer");
                const int target = ((length & 0x3F) << 8) | m_data[p + 1];
                if (target >= segmentStart)
                    return malformed("compression pointer does not point backwards");
                if (!jumped)
                    m_pos = p + 2;
                jumped = true;
                segmentStart = target;
                p = target;
                continue;
            }
            if (length & 0xC0)
                return malformed("unsupported label type");
            if (length == 0) {
                if (!jumped)
                    m_pos = p + 1;
                return name;
            }
            if (p + 1 + length > m_size)
                return malformed("label runs past the end");
            wireLength += 1 + length;
            if (wireLength > kMaxNameBytes)
                return malformed("name longer than 255 bytes");
            name.labels.append(QByteArray(reinterpret_cast<const char*>(m_data + p + 1), length));
            p += 1 + length;
        }
    }

private:
    const uchar* m_data;
    int m_size;
    int m_pos = 0;
};

Result<DnsRecord> parseRecord(Reader& in)
{
    DnsRecord r;
    auto name = in.name();
    if (!name)
        return name.error();
    r.name = std::move(name.value());
    quint16 rawClass = 0, rdLength = 0;
    if (!in.u16(&r.type) || !in.u16(&rawClass) || !in.u32(&r.ttl) || !in.u16(&rdLength))
        return malformed("truncated record header");
    r.cacheFlush = rawClass & kTopBit;
    r.dnsClass = rawClass & ~kTopBit;
    const int end = in.pos() + rdLength;
    if (end > in.size())
        return malformed("record data runs past the end");

    switch (DnsType(r.type)) {
    case DnsType::PTR: {
        auto target = in.name();
        if (!target)
            return target.error();
        r.target = std::move(target.value());
        break;
    }
    case DnsType::SRV: {
        if (!in.u16(&r.priority) || !in.u16(&r.weight) || !in.u16(&r.port))
            return malformed("truncated SRV record");
        auto target = in.name();
        if (!target)
            return target.error();
        r.target = std::move(target.value());
        break;
    }
    case DnsType::TXT:
        while (in.pos() < end) {
            QByteArray lengthByte, text;
            if (!in.bytes(1, &lengthByte) || !in.bytes(uchar(lengthByte.at(0)), &text) || in.pos() > end)
                return malformed("TXT string runs past its record");
            r.txt.append(text);
        }
        // RFC 6763 section 6.1: one empty string and no data at all both
        // mean "no keys"; one value for both, so a round trip is exact.
        if (r.txt.size() == 1 && r.txt.constFirst().isEmpty())
            r.txt.clear();
        break;
    case DnsType::A:
    case DnsType::AAAA: {
        const int expected = r.type == quint16(DnsType::A) ? 4 : 16;
        if (rdLength != expected || !in.bytes(expected, &r.address))
            return malformed("address record of the wrong length");
        break;
    }
    default:
        if (!in.bytes(rdLength, &r.rdata))
            return malformed("record data runs past the end");
        break;
    }
    if (in.pos() != end)
        return malformed("record data does not match its length");
    return r;
}

Result<QList<DnsRecord>> parseSection(Reader& in, quint16 count)
{
    if (count > kMaxRecordsPerSection)
        return malformed("too many records");
    QList<DnsRecord> records;
    records.reserve(count);
    for (quint16 i = 0; i < count; ++i) {
        auto record = parseRecord(in);
        if (!record)
            return record.error();
        records.append(std::move(record.value()));
    }
    return records;
}

// Writes a message; remembers where each name suffix was written so later
// names can point at it (RFC 1035 section 4.1.4).
class Writer {
public:
    QByteArray out;

    void u16(quint16 v)
    {
        char b[2];
        qToBigEndian(v, b);
        out.append(b, 2);
    }
    void u32(quint32 v)
    {
        char b[4];
        qToBigEndian(v, b);
        out.append(b, 4);
    }

    Result<void> name(const DnsName& name)
    {
        if (name.wireLength() > kMaxNameBytes)
            return malformed("name longer than 255 bytes");
        for (qsizetype i = 0; i < name.labels.size(); ++i) {
            const QByteArray key = suffixKey(name, i);
            if (const auto it = m_suffixes.constFind(key); it != m_suffixes.cend()) {
                u16(quint16(0xC000 | it.value()));
                return {};
            }
            const QByteArray& label = name.labels.at(i);
            if (label.isEmpty() || label.size() > kMaxLabelBytes)
                return malformed("label empty or longer than 63 bytes");
            if (out.size() < 0x3FFF)
                m_suffixes.insert(key, int(out.size()));
            out.append(char(label.size()));
            out.append(label);
        }
        out.append('\0');
        return {};
    }

private:
    static QByteArray suffixKey(const DnsName& name, qsizetype from)
    {
        QByteArray key;
        for (qsizetype i = from; i < name.labels.size(); ++i) {
            key.append(char(name.labels.at(i).size()));
            key.append(name.labels.at(i).toLower());
        }
        return key;
    }
    QHash<QByteArray, int> m_suffixes;
};

Result<void> writeRecord(Writer& w, const DnsRecord& r)
{
    if (auto named = w.name(r.name); !named)
        return named;
    w.u16(r.type);
    w.u16(quint16(r.dnsClass | (r.cacheFlush ? kTopBit : 0)));
    w.u32(r.ttl);
    const qsizetype lengthAt = w.out.size();
    w.u16(0);
    const qsizetype dataAt = w.out.size();
    switch (DnsType(r.type)) {
    case DnsType::PTR:
        if (auto named = w.name(r.target); !named)
            return named;
        break;
    case DnsType::SRV:
        w.u16(r.priority);
        w.u16(r.weight);
        w.u16(r.port);
        if (auto named = w.name(r.target); !named)
            return named;
        break;
    case DnsType::TXT:
        for (const QByteArray& text : r.txt) {
            if (text.size() > 255)
                return malformed("TXT string longer than 255 bytes");
            w.out.append(char(text.size()));
            w.out.append(text);
        }
        if (r.txt.isEmpty()) // RFC 6763 section 6.1: an empty TXT record is one empty string
            w.out.append('\0');
        break;
    case DnsType::A:
    case DnsType::AAAA:
        if (r.address.size() != (r.type == quint16(DnsType::A) ? 4 : 16))
            return malformed("address of the wrong length for its record");
        w.out.append(r.address);
        break;
    default:
        w.out.append(r.rdata);
        break;
    }
    const qsizetype dataLength = w.out.size() - dataAt;
    if (dataLength > 0xFFFF)
        return malformed("record data too long");
    qToBigEndian(quint16(dataLength), w.out.data() + lengthAt);
    return {};
}

} // namespace

DnsName DnsName::fromDotted(const QByteArray& dotted)
{
    DnsName name;
    const QList<QByteArray> parts = dotted.split('.');
    for (const QByteArray& part : parts) {
        if (!part.isEmpty())
            name.labels.append(part);
    }
    return name;
}

DnsName DnsName::prepended(const QByteArray& label) const
{
    DnsName name = *this;
    name.labels.prepend(label);
    return name;
}

QByteArray DnsName::toDisplay() const
{
    QByteArray text;
    for (const QByteArray& label : labels) {
        if (!text.isEmpty())
            text.append('.');
        for (char c : label) {
            if (c == '.' || c == '\\')
                text.append('\\');
            text.append(c);
        }
    }
    return text;
}

int DnsName::wireLength() const
{
    int length = 1;
    for (const QByteArray& label : labels)
        length += 1 + int(label.size());
    return length;
}

bool operator==(const DnsName& a, const DnsName& b)
{
    if (a.labels.size() != b.labels.size())
        return false;
    for (qsizetype i = 0; i < a.labels.size(); ++i) {
        if (!asciiEqualsIgnoringCase(a.labels.at(i), b.labels.at(i)))
            return false;
    }
    return true;
}

bool DnsRecord::sameRecordAs(const DnsRecord& other) const
{
    if (name != other.name || type != other.type || dnsClass != other.dnsClass)
        return false;
    switch (DnsType(type)) {
    case DnsType::PTR:
        return target == other.target;
    case DnsType::SRV:
        return priority == other.priority && weight == other.weight && port == other.port &&
               target == other.target;
    case DnsType::TXT:
        return txt == other.txt;
    case DnsType::A:
    case DnsType::AAAA:
        return address == other.address;
    default:
        return rdata == other.rdata;
    }
}

Result<DnsMessage> parseDnsMessage(const QByteArray& datagram)
{
    if (datagram.size() > kMaxMessageBytes)
        return malformed("larger than the largest mDNS packet");
    Reader in(datagram);
    DnsMessage m;
    quint16 counts[4] = {};
    if (!in.u16(&m.id) || !in.u16(&m.flags) || !in.u16(&counts[0]) || !in.u16(&counts[1]) ||
        !in.u16(&counts[2]) || !in.u16(&counts[3]))
        return malformed("shorter than a header");
    if (counts[0] > kMaxRecordsPerSection)
        return malformed("too many questions");
    for (quint16 i = 0; i < counts[0]; ++i) {
        DnsQuestion q;
        auto name = in.name();
        if (!name)
            return name.error();
        q.name = std::move(name.value());
        quint16 rawClass = 0;
        if (!in.u16(&q.type) || !in.u16(&rawClass))
            return malformed("truncated question");
        q.unicastResponse = rawClass & kTopBit;
        q.dnsClass = rawClass & ~kTopBit;
        m.questions.append(std::move(q));
    }
    QList<DnsRecord>* sections[3] = {&m.answers, &m.authorities, &m.additionals};
    for (int s = 0; s < 3; ++s) {
        auto records = parseSection(in, counts[s + 1]);
        if (!records)
            return records.error();
        *sections[s] = std::move(records.value());
    }
    if (!in.atEnd())
        return malformed("trailing bytes after the last record");
    return m;
}

Result<QByteArray> encodeDnsMessage(const DnsMessage& m)
{
    const QList<DnsRecord>* sections[3] = {&m.answers, &m.authorities, &m.additionals};
    if (m.questions.size() > 0xFFFF || m.answers.size() > 0xFFFF || m.authorities.size() > 0xFFFF ||
        m.additionals.size() > 0xFFFF)
        return malformed("too many entries");
    Writer w;
    w.u16(m.id);
    w.u16(m.flags);
    w.u16(quint16(m.questions.size()));
    for (const auto* section : sections)
        w.u16(quint16(section->size()));
    for (const DnsQuestion& q : m.questions) {
        if (auto named = w.name(q.name); !named)
            return named.error();
        w.u16(q.type);
        w.u16(quint16(q.dnsClass | (q.unicastResponse ? kTopBit : 0)));
    }
    for (const auto* section : sections) {
        for (const DnsRecord& r : *section) {
            if (auto written = writeRecord(w, r); !written)
                return written.error();
        }
    }
    return w.out;
}

} // namespace confab::discovery
