#pragma once

#include "protocol/result.h"

#include <QByteArray>
#include <QList>

// DNS messages as used by multicast DNS (RFC 1035 wire format, RFC 6762
// additions): value types, a parser for untrusted input and an encoder with
// name compression. No I/O; the mDNS responder (server/discovery/) and the
// browser (client/discovery/) put these on the wire.
namespace confab::discovery {

enum class DnsType : quint16 {
    A = 1,
    PTR = 12,
    TXT = 16,
    AAAA = 28,
    SRV = 33,
    NSEC = 47,
    ANY = 255,
};

constexpr quint16 kClassIn = 1;
// RFC 1035 limits: a label holds at most 63 bytes, a whole name 255 on the wire.
constexpr int kMaxLabelBytes = 63;
constexpr int kMaxNameBytes = 255;

// A domain name as its labels. Labels are bytes, not dotted text: a DNS-SD
// instance name ("Confab on host.example") is one label that may contain
// dots. Compared case-insensitively for ASCII, as DNS requires.
struct DnsName {
    QList<QByteArray> labels;

    // "_confab._tcp.local" -> {"_confab", "_tcp", "local"}; only for names
    // whose labels contain no dots.
    static DnsName fromDotted(const QByteArray& dotted);
    // The name with the given label in front (instance + service type).
    DnsName prepended(const QByteArray& label) const;
    // For logs and tests: labels joined with '.', dots and backslashes inside
    // a label escaped with '\'.
    QByteArray toDisplay() const;
    // Bytes on the wire without compression (labels + length bytes + root).
    int wireLength() const;

    friend bool operator==(const DnsName& a, const DnsName& b);
    friend bool operator!=(const DnsName& a, const DnsName& b) { return !(a == b); }
};

struct DnsQuestion {
    DnsName name;
    quint16 type = 0;
    quint16 dnsClass = kClassIn;
    // mDNS "QU" bit (top bit of the class): the asker prefers a unicast reply.
    bool unicastResponse = false;

    friend bool operator==(const DnsQuestion& a, const DnsQuestion& b)
    {
        return a.name == b.name && a.type == b.type && a.dnsClass == b.dnsClass &&
               a.unicastResponse == b.unicastResponse;
    }
};

// One resource record. The typed fields that matter depend on `type`:
// PTR: target; SRV: priority, weight, port, target; TXT: txt; A/AAAA: address
// (network byte order, 4 or 16 bytes: this library has no QtNetwork).
// Any other type keeps its data as raw bytes in `rdata` (never followed).
struct DnsRecord {
    DnsName name;
    quint16 type = 0;
    quint16 dnsClass = kClassIn;
    // mDNS cache-flush bit (top bit of the class): this record replaces every
    // cached record of the same name and type (RFC 6762 section 10.2).
    bool cacheFlush = false;
    quint32 ttl = 0;

    DnsName target;
    quint16 priority = 0;
    quint16 weight = 0;
    quint16 port = 0;
    QList<QByteArray> txt;
    QByteArray address;
    QByteArray rdata;

    // Same name, type, class and data: the record an answer would repeat
    // (known-answer suppression compares these, ignoring the TTL).
    bool sameRecordAs(const DnsRecord& other) const;
    friend bool operator==(const DnsRecord& a, const DnsRecord& b)
    {
        return a.sameRecordAs(b) && a.ttl == b.ttl && a.cacheFlush == b.cacheFlush;
    }
};

struct DnsMessage {
    quint16 id = 0;
    quint16 flags = 0;
    QList<DnsQuestion> questions;
    QList<DnsRecord> answers;
    QList<DnsRecord> authorities;
    QList<DnsRecord> additionals;

    static constexpr quint16 kResponseFlag = 0x8000;      // QR
    static constexpr quint16 kAuthoritativeFlag = 0x0400; // AA
    static constexpr quint16 kTruncatedFlag = 0x0200;     // TC
    bool isResponse() const { return flags & kResponseFlag; }
    // Every record of the three sections, in order.
    QList<DnsRecord> allRecords() const { return answers + authorities + additionals; }
};

// The largest message either side accepts or sends: an mDNS packet must fit
// one Ethernet frame unless it is a "jumbo" one (RFC 6762 section 17).
constexpr int kMaxMessageBytes = 9000;

// Parses one datagram. Anything malformed is an error, never a crash or a
// partial value: truncation, counts larger than the data, labels over 63
// bytes, names over 255, compression pointers that do not point strictly
// backwards (which also rules out loops), record data that does not exactly
// fill its length, and trailing garbage.
Result<DnsMessage> parseDnsMessage(const QByteArray& datagram);

// Encodes a message, compressing repeated name suffixes. Fails only for
// values that cannot be encoded (a label over 63 bytes, a name over 255, a
// TXT string over 255 bytes, an address of the wrong length, too many records).
Result<QByteArray> encodeDnsMessage(const DnsMessage& message);

} // namespace confab::discovery
