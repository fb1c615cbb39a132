#include "discovery/dns_sd.h"

namespace confab::discovery {
namespace {

constexpr quint16 kAnyClass = 255;

bool asks(const DnsQuestion& q, const DnsName& name, DnsType type)
{
    return (q.dnsClass == kClassIn || q.dnsClass == kAnyClass) && q.name == name &&
           (q.type == quint16(type) || q.type == quint16(DnsType::ANY));
}

void appendUnique(QList<DnsRecord>& records, const DnsRecord& record)
{
    for (const DnsRecord& r : records) {
        if (r.sameRecordAs(record))
            return;
    }
    records.append(record);
}

// RFC 6762 section 7.1: an answer the asker lists with at least half its TTL
// left is not repeated.
bool knownToAsker(const DnsMessage& query, const DnsRecord& record)
{
    for (const DnsRecord& known : query.answers) {
        if (known.sameRecordAs(record) && known.ttl >= record.ttl / 2)
            return true;
    }
    return false;
}

const DnsRecord* findRecord(const QList<DnsRecord>& records, const DnsName& name, DnsType type)
{
    for (const DnsRecord& r : records) {
        if (r.type == quint16(type) && r.dnsClass == kClassIn && r.name == name)
            return &r;
    }
    return nullptr;
}

} // namespace

DnsName confabServiceType()
{
    return DnsName::fromDotted("_confab._tcp.local");
}

DnsName serviceTypeEnumeration()
{
    return DnsName::fromDotted("_services._dns-sd._udp.local");
}

QByteArray instanceLabelFrom(const QString& name)
{
    QByteArray utf8 = name.trimmed().toUtf8();
    if (utf8.size() <= kMaxLabelBytes)
        return utf8;
    int cut = kMaxLabelBytes;
    while (cut > 0 && (uchar(utf8.at(cut)) & 0xC0) == 0x80) // never split a multi-byte character
        --cut;
    return utf8.left(cut);
}

QByteArray hostLabelFrom(const QString& hostName)
{
    QByteArray label;
    const QByteArray first = hostName.section(QLatin1Char('.'), 0, 0).toLatin1();
    for (char c : first) {
        const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        label.append(plain ? c : '-');
    }
    if (label.isEmpty())
        label = "confab";
    return label.left(kMaxLabelBytes);
}

ServiceRecords serviceRecords(const ServiceInstance& instance, const QByteArray& ipv4Address, bool goodbye)
{
    const quint32 hostTtl = goodbye ? 0 : kHostRecordTtl;
    const quint32 otherTtl = goodbye ? 0 : kOtherRecordTtl;
    ServiceRecords r;
    r.typeEnumeration.name = serviceTypeEnumeration();
    r.typeEnumeration.type = quint16(DnsType::PTR);
    r.typeEnumeration.ttl = otherTtl;
    r.typeEnumeration.target = confabServiceType();

    r.pointer.name = confabServiceType();
    r.pointer.type = quint16(DnsType::PTR);
    r.pointer.ttl = otherTtl;
    r.pointer.target = instance.instanceName();

    r.service.name = instance.instanceName();
    r.service.type = quint16(DnsType::SRV);
    r.service.cacheFlush = true;
    r.service.ttl = hostTtl;
    r.service.port = instance.port;
    r.service.target = instance.hostName();

    r.text.name = instance.instanceName();
    r.text.type = quint16(DnsType::TXT);
    r.text.cacheFlush = true;
    r.text.ttl = otherTtl;
    r.text.txt = instance.txt;

    r.hostAddress.name = instance.hostName();
    r.hostAddress.type = quint16(DnsType::A);
    r.hostAddress.cacheFlush = true;
    r.hostAddress.ttl = hostTtl;
    r.hostAddress.address = ipv4Address;
    return r;
}

DnsMessage announcement(const ServiceInstance& instance, const QByteArray& ipv4Address, bool goodbye)
{
    const ServiceRecords r = serviceRecords(instance, ipv4Address, goodbye);
    DnsMessage m;
    m.flags = DnsMessage::kResponseFlag | DnsMessage::kAuthoritativeFlag;
    m.answers = {r.pointer, r.service, r.text, r.hostAddress, r.typeEnumeration};
    return m;
}

std::optional<DnsMessage> responseTo(const DnsMessage& query, const ServiceInstance& instance,
                                     const QByteArray& ipv4Address)
{
    if (query.isResponse())
        return std::nullopt;
    const ServiceRecords r = serviceRecords(instance, ipv4Address, false);
    QList<DnsRecord> answers;
    QList<DnsRecord> additionals;
    for (const DnsQuestion& q : query.questions) {
        if (asks(q, serviceTypeEnumeration(), DnsType::PTR))
            appendUnique(answers, r.typeEnumeration);
        if (asks(q, confabServiceType(), DnsType::PTR)) {
            appendUnique(answers, r.pointer);
            // RFC 6763 section 12.1: what the asker needs next comes along.
            appendUnique(additionals, r.service);
            appendUnique(additionals, r.text);
            appendUnique(additionals, r.hostAddress);
        }
        if (asks(q, instance.instanceName(), DnsType::SRV)) {
            appendUnique(answers, r.service);
            appendUnique(additionals, r.hostAddress);
        }
        if (asks(q, instance.instanceName(), DnsType::TXT))
            appendUnique(answers, r.text);
        if (asks(q, instance.hostName(), DnsType::A))
            appendUnique(answers, r.hostAddress);
    }
    answers.removeIf([&](const DnsRecord& a) { return knownToAsker(query, a); });
    if (answers.isEmpty())
        return std::nullopt;
    additionals.removeIf([&](const DnsRecord& extra) {
        for (const DnsRecord& a : answers) {
            if (a.sameRecordAs(extra))
                return true;
        }
        return knownToAsker(query, extra);
    });
    DnsMessage response;
    response.flags = DnsMessage::kResponseFlag | DnsMessage::kAuthoritativeFlag;
    response.answers = answers;
    response.additionals = additionals;
    return response;
}

DnsMessage legacyUnicastReply(DnsMessage response, const DnsMessage& query)
{
    response.id = query.id;
    response.questions = query.questions;
    for (auto* section : {&response.answers, &response.authorities, &response.additionals}) {
        for (DnsRecord& r : *section) {
            r.ttl = qMin(r.ttl, kLegacyUnicastTtl);
            r.cacheFlush = false;
        }
    }
    for (DnsQuestion& q : response.questions)
        q.unicastResponse = false;
    return response;
}

DnsMessage browseQuery()
{
    DnsMessage query;
    DnsQuestion q;
    q.name = confabServiceType();
    q.type = quint16(DnsType::PTR);
    query.questions.append(q);
    return query;
}

QList<ServiceSighting> sightingsIn(const DnsMessage& response)
{
    QList<ServiceSighting> sightings;
    if (!response.isResponse())
        return sightings;
    const QList<DnsRecord> records = response.allRecords();
    const DnsName type = confabServiceType();
    for (const DnsRecord& ptr : records) {
        if (ptr.type != quint16(DnsType::PTR) || ptr.dnsClass != kClassIn || ptr.name != type)
            continue;
        // The instance must be <one label>._confab._tcp.local.
        if (ptr.target.labels.size() != type.labels.size() + 1 || DnsName{ptr.target.labels.mid(1)} != type)
            continue;
        ServiceSighting s;
        s.instanceLabel = ptr.target.labels.constFirst();
        const DnsRecord* srv = findRecord(records, ptr.target, DnsType::SRV);
        if (ptr.ttl == 0 || (srv && srv->ttl == 0)) {
            s.goodbye = true;
            sightings.append(s);
            continue;
        }
        if (!srv || srv->port == 0)
            continue;
        const DnsRecord* a = findRecord(records, srv->target, DnsType::A);
        if (!a || a->ttl == 0)
            continue;
        s.ipv4Address = a->address;
        s.hostName = srv->target.toDisplay();
        s.port = srv->port;
        s.ttl = qMin(ptr.ttl, qMin(srv->ttl, a->ttl));
        if (const DnsRecord* txt = findRecord(records, ptr.target, DnsType::TXT))
            s.txt = parseTxt(txt->txt);
        sightings.append(s);
    }
    return sightings;
}

QMap<QByteArray, QByteArray> parseTxt(const QList<QByteArray>& strings)
{
    QMap<QByteArray, QByteArray> pairs;
    for (const QByteArray& entry : strings) {
        const qsizetype eq = entry.indexOf('=');
        const QByteArray key = (eq < 0 ? entry : entry.left(eq)).toLower();
        if (key.isEmpty() || pairs.contains(key))
            continue;
        pairs.insert(key, eq < 0 ? QByteArray() : entry.mid(eq + 1));
    }
    return pairs;
}

} // namespace confab::discovery
