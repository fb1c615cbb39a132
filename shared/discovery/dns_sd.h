#pragma once

#include "discovery/dns_message.h"

#include <QMap>
#include <QString>

#include <optional>

// DNS-SD (RFC 6763) for Confab over mDNS (RFC 6762): which records announce a
// server, which queries they answer, and what a browser makes of a response.
// Pure code: the responder and the browser do the sockets.
namespace confab::discovery {

// "_confab._tcp.local" and the DNS-SD service-type enumeration name.
DnsName confabServiceType();
DnsName serviceTypeEnumeration();

// RFC 6762 section 10: 120 s for records naming a host (SRV, A), 75 minutes
// for the others (PTR, TXT).
constexpr quint32 kHostRecordTtl = 120;
constexpr quint32 kOtherRecordTtl = 4500;
// Legacy unicast replies (queries not from port 5353) carry at most 10 s.
constexpr quint32 kLegacyUnicastTtl = 10;
constexpr quint16 kMdnsPort = 5353;

// One announced server.
struct ServiceInstance {
    QByteArray instanceLabel; // the instance name, UTF-8, at most 63 bytes (instanceLabelFrom())
    QByteArray hostLabel;     // the first label of the host name (<hostLabel>.local)
    quint16 port = 0;
    QList<QByteArray> txt; // "key=value" strings

    DnsName instanceName() const { return confabServiceType().prepended(instanceLabel); }
    DnsName hostName() const { return DnsName::fromDotted("local").prepended(hostLabel); }
};

// A user-given name as an instance label: UTF-8 cut to 63 bytes on a
// character boundary (RFC 6763 section 4.1.1 allows any UTF-8).
QByteArray instanceLabelFrom(const QString& name);
// A host name as a DNS label: letters, digits and '-' only, at most 63 bytes.
QByteArray hostLabelFrom(const QString& hostName);

// PTR, SRV, TXT and A (with `ipv4Address`, the interface's own address as 4
// bytes in network order) at
// the given TTLs (0 for a goodbye); SRV/TXT/A carry the cache-flush bit.
struct ServiceRecords {
    DnsRecord typeEnumeration; // _services._dns-sd._udp.local PTR _confab._tcp.local
    DnsRecord pointer;         // _confab._tcp.local PTR <instance>._confab._tcp.local
    DnsRecord service;         // SRV
    DnsRecord text;            // TXT
    DnsRecord hostAddress;     // A
};
ServiceRecords serviceRecords(const ServiceInstance& instance, const QByteArray& ipv4Address, bool goodbye);

// An unsolicited announcement (or, with goodbye, the TTL 0 retraction): every
// record in the answer section.
DnsMessage announcement(const ServiceInstance& instance, const QByteArray& ipv4Address, bool goodbye);

// The response to a query, or nothing when it asks about nothing of ours or
// every answer is already known to the asker (RFC 6762 section 7.1).
// Answers go in the answer section, SRV/TXT/A for them in the additional one.
std::optional<DnsMessage> responseTo(const DnsMessage& query, const ServiceInstance& instance,
                                     const QByteArray& ipv4Address);
// The reply to a legacy unicast query (RFC 6762 section 6.7): the query's id
// and questions, TTLs at most 10 s, no cache-flush bits.
DnsMessage legacyUnicastReply(DnsMessage response, const DnsMessage& query);

// The browser's question: PTR _confab._tcp.local (QM).
DnsMessage browseQuery();

// What a response says about one instance of _confab._tcp.
struct ServiceSighting {
    QByteArray instanceLabel;
    bool goodbye = false;   // PTR or SRV with TTL 0: the server is gone
    QByteArray ipv4Address; // from the A record of the SRV target (4 bytes, network order)
    QByteArray hostName;    // the SRV target, for display
    quint16 port = 0;
    QMap<QByteArray, QByteArray> txt; // keys lowercased
    quint32 ttl = 0;                  // the shortest TTL among PTR, SRV and A
};
// Every instance a response names completely (PTR + SRV + A; TXT optional),
// and every goodbye. Records of other names are ignored.
QList<ServiceSighting> sightingsIn(const DnsMessage& response);

// RFC 6763 section 6: "key=value" strings; keys are case-insensitive, the
// first occurrence wins, a string without '=' is a key without value.
QMap<QByteArray, QByteArray> parseTxt(const QList<QByteArray>& strings);

} // namespace confab::discovery
