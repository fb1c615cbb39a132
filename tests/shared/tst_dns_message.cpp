// The DNS/mDNS codec and the DNS-SD rules (shared/discovery/): golden bytes,
// round trips, and data-driven rows of malformed packets, which must all be
// rejected as values (the input is whatever anyone on the LAN sends).

#include "discovery/dns_message.h"
#include "discovery/dns_sd.h"

#include <QRandomGenerator>
#include <QTest>

using namespace confab::discovery;

namespace {

QByteArray hex(const char* text)
{
    return QByteArray::fromHex(QByteArray(text).replace(' ', ""));
}

const QByteArray kLocalhostIp = QByteArray("\x0a\x00\x00\x07", 4); // 10.0.0.7

ServiceInstance exampleInstance()
{
    ServiceInstance i;
    i.instanceLabel = instanceLabelFrom(QStringLiteral("Team chat 团队. 2"));
    i.hostLabel = "lab-confab";
    i.port = 7860;
    i.txt = {"v=1", "tls=1", "fp=AB:CD", "path=/"};
    return i;
}

// 12-byte header: id 0, flags, then the four counts.
QByteArray header(quint16 flags, quint16 qd, quint16 an, quint16 ns = 0, quint16 ar = 0)
{
    QByteArray h;
    for (quint16 v : {quint16(0), flags, qd, an, ns, ar}) {
        h.append(char(v >> 8));
        h.append(char(v & 0xFF));
    }
    return h;
}

} // namespace

class TestDnsMessage : public QObject {
    Q_OBJECT

private slots:
    void browseQueryGoldenBytes()
    {
        auto encoded = encodeDnsMessage(browseQuery());
        QVERIFY(encoded.ok());
        // id 0, flags 0, one question: 7 _confab 4 _tcp 5 local 0, PTR, IN.
        QCOMPARE(encoded.value(), hex("0000 0000 0001 0000 0000 0000"
                                      "075f636f6e666162 045f746370 056c6f63616c 00 000c 0001"));
        auto parsed = parseDnsMessage(encoded.value());
        QVERIFY(parsed.ok());
        QCOMPARE(parsed->questions.size(), 1);
        QCOMPARE(parsed->questions.constFirst(), browseQuery().questions.constFirst());
    }

    void announcementRoundTripsAndIsCompressed()
    {
        const DnsMessage m = announcement(exampleInstance(), kLocalhostIp, false);
        auto encoded = encodeDnsMessage(m);
        QVERIFY(encoded.ok());
        auto parsed = parseDnsMessage(encoded.value());
        QVERIFY2(parsed.ok(), qPrintable(parsed.ok() ? QString() : parsed.error().message));
        QCOMPARE(parsed->flags, quint16(0x8400));
        QCOMPARE(parsed->answers, m.answers);
        // "_confab._tcp.local" is written once; every later use is a pointer.
        QCOMPARE(encoded->count("\x07_confab\x04_tcp\x05local"), 1);
        int uncompressed = 12;
        for (const DnsRecord& r : m.answers)
            uncompressed += r.name.wireLength() + 10 + r.target.wireLength() + 16;
        QVERIFY(encoded->size() < uncompressed);
    }

    void parsesCompressionPointersCaseInsensitively()
    {
        // Answer: _CONFAB._tcp.local PTR x.<pointer to offset 12>, TTL 120.
        QByteArray p = header(0x8400, 0, 1);
        p += hex("075f434f4e464142 045f746370 056c6f63616c 00"); // at offset 12
        p += hex("000c 0001 00000078");
        p += hex("0004 0178 c00c");
        auto parsed = parseDnsMessage(p);
        QVERIFY(parsed.ok());
        const DnsRecord& r = parsed->answers.constFirst();
        QCOMPARE(r.name, confabServiceType());
        QCOMPARE(r.ttl, 120u);
        QCOMPARE(r.target, confabServiceType().prepended("x"));
    }

    void rejectsMalformed_data()
    {
        QTest::addColumn<QByteArray>("packet");
        const QByteArray name = hex("0178 00"); // "x"
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("short header") << hex("0000 8400 0000");
        QTest::newRow("question count without questions") << header(0, 1, 0);
        QTest::newRow("answer count without answers") << header(0x8400, 0, 3);
        QTest::newRow("65535 answers claimed") << header(0x8400, 0, 0xFFFF) + name + hex("0001 0001");
        QTest::newRow("label past the end") << header(0, 1, 0) + hex("3f 6162");
        QTest::newRow("name without root") << header(0, 1, 0) + hex("0178");
        QTest::newRow("extended label type") << header(0, 1, 0) + hex("4178 00 000c 0001");
        QTest::newRow("pointer to itself") << header(0, 1, 0) + hex("c00c 000c 0001");
        QTest::newRow("pointer forward") << header(0, 1, 0) + hex("c00e 00 000c 0001");
        QTest::newRow("pointer past the end") << header(0, 1, 0) + hex("c0ff 000c 0001");
        QTest::newRow("truncated pointer") << header(0, 1, 0) + hex("c0");
        // Two names that point at each other: the second's pointer goes
        // back, the first's would go forward, so no loop can be followed.
        QTest::newRow("pointer loop") << header(0, 2, 0) + hex("c012 000c 0001") + hex("c00c 000c 0001");
        QTest::newRow("truncated question") << header(0, 1, 0) + name + hex("000c");
        QTest::newRow("truncated record header") << header(0x8400, 0, 1) + name + hex("000c 0001 0000");
        QTest::newRow("rdata past the end")
            << header(0x8400, 0, 1) + name + hex("0010 0001 00000078 0010 0161");
        QTest::newRow("A of 3 bytes") << header(0x8400, 0, 1) + name + hex("0001 0001 00000078 0003 0a0000");
        QTest::newRow("A longer than its length")
            << header(0x8400, 0, 1) + name + hex("0001 0001 00000078 0003 0a000007");
        QTest::newRow("TXT string past its record")
            << header(0x8400, 0, 1) + name + hex("0010 0001 00000078 0002 0561") + hex("6263646566");
        QTest::newRow("PTR shorter than its name")
            << header(0x8400, 0, 1) + name + hex("000c 0001 00000078 0001 0178 00");
        QTest::newRow("PTR longer than its name")
            << header(0x8400, 0, 1) + name + hex("000c 0001 00000078 0004 0178 00 ff");
        QTest::newRow("SRV truncated")
            << header(0x8400, 0, 1) + name + hex("0021 0001 00000078 0004 0000 0000");
        QTest::newRow("trailing bytes") << header(0, 1, 0) + name + hex("000c 0001 00");
        QTest::newRow("too large") << QByteArray(kMaxMessageBytes + 1, '\0');
        // A 306-byte name: five 60-byte labels.
        QByteArray chain = header(0, 1, 0);
        QByteArray labels;
        for (int i = 0; i < 5; ++i)
            labels += char(60) + QByteArray(60, 'a');
        chain += labels + hex("00 000c 0001");
        QTest::newRow("name over 255 bytes") << chain;
    }
    void rejectsMalformed()
    {
        QFETCH(QByteArray, packet);
        auto parsed = parseDnsMessage(packet);
        QVERIFY(!parsed.ok());
        QVERIFY(parsed.error().message.startsWith(QLatin1String("malformed DNS message")));
    }

    // Every prefix of a valid response is rejected, and random corruption
    // never crashes; when it parses, what was parsed encodes and parses back
    // to the same message (the codec agrees with itself on any input).
    void truncationsAndCorruptionsAreSafe()
    {
        const QByteArray good =
            encodeDnsMessage(announcement(exampleInstance(), kLocalhostIp, false)).value();
        for (int length = 0; length < good.size(); ++length)
            QVERIFY2(!parseDnsMessage(good.left(length)).ok(), qPrintable(QString::number(length)));
        QRandomGenerator random(6762);
        int parsedCount = 0;
        for (int round = 0; round < 20000; ++round) {
            QByteArray bad = good;
            const int flips = 1 + int(random.bounded(4));
            for (int f = 0; f < flips; ++f)
                bad[int(random.bounded(int(bad.size())))] = char(random.bounded(256));
            if (auto parsed = parseDnsMessage(bad); parsed.ok()) {
                ++parsedCount;
                const auto encoded = encodeDnsMessage(parsed.value());
                QVERIFY2(encoded.ok(),
                         qPrintable(QStringLiteral("round %1: %2 does not encode: %3")
                                        .arg(round)
                                        .arg(QString::fromLatin1(bad.toHex()))
                                        .arg(encoded.ok() ? QString() : encoded.error().message)));
                const auto again = parseDnsMessage(encoded.value());
                QVERIFY2(again.ok(),
                         qPrintable(QStringLiteral("round %1: its encoding does not parse").arg(round)));
                QCOMPARE(again->id, parsed->id);
                QCOMPARE(again->flags, parsed->flags);
                QCOMPARE(again->questions, parsed->questions);
                QCOMPARE(again->answers, parsed->answers);
                QCOMPARE(again->authorities, parsed->authorities);
                QCOMPARE(again->additionals, parsed->additionals);
                (void)sightingsIn(parsed.value());
            }
        }
        QVERIFY(parsedCount > 0); // some corruptions only change TTLs or ids
    }

    // RFC 6763 section 6.1: no data and one empty string both mean "no keys".
    void emptyTxtRecords()
    {
        const QByteArray name = hex("0178 00");
        for (const QByteArray& rdata : {hex("0000"), hex("0001 00")}) {
            auto parsed = parseDnsMessage(header(0x8400, 0, 1) + name + hex("0010 0001 00000078") + rdata);
            QVERIFY(parsed.ok());
            QVERIFY(parsed->answers.constFirst().txt.isEmpty());
            // Encoded as the one empty string, which parses back the same.
            const QByteArray encoded = encodeDnsMessage(parsed.value()).value();
            QVERIFY(encoded.endsWith(hex("0001 00")));
            QCOMPARE(parseDnsMessage(encoded)->answers, parsed->answers);
        }
    }

    void encodeRejectsWhatCannotBeEncoded()
    {
        DnsMessage m;
        DnsRecord r;
        r.name = DnsName{{QByteArray(64, 'a')}};
        r.type = quint16(DnsType::PTR);
        m.answers = {r};
        QVERIFY(!encodeDnsMessage(m).ok());
        r.name = DnsName::fromDotted("x.local");
        r.type = quint16(DnsType::A);
        r.address = "\x01\x02";
        m.answers = {r};
        QVERIFY(!encodeDnsMessage(m).ok());
        r.type = quint16(DnsType::TXT);
        r.txt = {QByteArray(256, 't')};
        m.answers = {r};
        QVERIFY(!encodeDnsMessage(m).ok());
    }

    void answersPtrQueryWithAdditionals()
    {
        const ServiceInstance instance = exampleInstance();
        auto response = responseTo(browseQuery(), instance, kLocalhostIp);
        QVERIFY(response.has_value());
        QCOMPARE(response->answers.size(), 1);
        QCOMPARE(response->answers.constFirst().target, instance.instanceName());
        QCOMPARE(response->answers.constFirst().ttl, kOtherRecordTtl);
        QCOMPARE(response->additionals.size(), 3);
        const ServiceRecords expected = serviceRecords(instance, kLocalhostIp, false);
        QCOMPARE(response->additionals.at(0), expected.service);
        QCOMPARE(response->additionals.at(1), expected.text);
        QCOMPARE(response->additionals.at(2), expected.hostAddress);
        QCOMPARE(expected.service.ttl, kHostRecordTtl);
        QVERIFY(expected.service.cacheFlush && expected.hostAddress.cacheFlush &&
                !expected.pointer.cacheFlush);
    }

    void answersServiceEnumerationAndDirectQuestions()
    {
        const ServiceInstance instance = exampleInstance();
        DnsMessage query;
        query.questions = {{serviceTypeEnumeration(), quint16(DnsType::PTR)},
                           {instance.hostName(), quint16(DnsType::A)},
                           {instance.instanceName(), quint16(DnsType::ANY)}};
        auto response = responseTo(query, instance, kLocalhostIp);
        QVERIFY(response.has_value());
        const ServiceRecords r = serviceRecords(instance, kLocalhostIp, false);
        QCOMPARE(response->answers, (QList<DnsRecord>{r.typeEnumeration, r.hostAddress, r.service, r.text}));
        QVERIFY(response->additionals.isEmpty()); // the A record is an answer already
    }

    void ignoresOtherQuestionsAndResponses()
    {
        DnsMessage query;
        query.questions = {{DnsName::fromDotted("_http._tcp.local"), quint16(DnsType::PTR)}};
        QVERIFY(!responseTo(query, exampleInstance(), kLocalhostIp).has_value());
        DnsMessage response = browseQuery();
        response.flags = DnsMessage::kResponseFlag;
        QVERIFY(!responseTo(response, exampleInstance(), kLocalhostIp).has_value());
    }

    void knownAnswerSuppression()
    {
        const ServiceInstance instance = exampleInstance();
        DnsMessage query = browseQuery();
        DnsRecord known = serviceRecords(instance, kLocalhostIp, false).pointer;
        known.ttl = kOtherRecordTtl / 2; // still half its life: not repeated
        query.answers = {known};
        QVERIFY(!responseTo(query, instance, kLocalhostIp).has_value());
        query.answers.first().ttl = kOtherRecordTtl / 2 - 1; // about to expire: answered
        QVERIFY(responseTo(query, instance, kLocalhostIp).has_value());
    }

    void legacyUnicastReplyEchoesTheQuery()
    {
        DnsMessage query = browseQuery();
        query.id = 0x1234;
        const DnsMessage reply =
            legacyUnicastReply(*responseTo(query, exampleInstance(), kLocalhostIp), query);
        QCOMPARE(reply.id, quint16(0x1234));
        QCOMPARE(reply.questions, query.questions);
        for (const DnsRecord& r : reply.allRecords()) {
            QVERIFY(r.ttl <= kLegacyUnicastTtl);
            QVERIFY(!r.cacheFlush);
        }
    }

    void sightingsFromResponsesAndGoodbyes()
    {
        const ServiceInstance instance = exampleInstance();
        const auto encoded = encodeDnsMessage(*responseTo(browseQuery(), instance, kLocalhostIp));
        const auto parsed = parseDnsMessage(encoded.value());
        const QList<ServiceSighting> seen = sightingsIn(parsed.value());
        QCOMPARE(seen.size(), 1);
        const ServiceSighting& s = seen.constFirst();
        QCOMPARE(s.instanceLabel, instance.instanceLabel);
        QVERIFY(!s.goodbye);
        QCOMPARE(s.ipv4Address, kLocalhostIp);
        QCOMPARE(s.port, quint16(7860));
        QCOMPARE(s.ttl, kHostRecordTtl);
        QCOMPARE(s.hostName, QByteArray("lab-confab.local"));
        QCOMPARE(s.txt.value("tls"), QByteArray("1"));
        QCOMPARE(s.txt.value("fp"), QByteArray("AB:CD"));

        const QList<ServiceSighting> gone = sightingsIn(announcement(instance, kLocalhostIp, true));
        QCOMPARE(gone.size(), 1);
        QVERIFY(gone.constFirst().goodbye);
        QCOMPARE(gone.constFirst().instanceLabel, instance.instanceLabel);

        // A PTR whose SRV or A is missing names nothing usable.
        DnsMessage partial = announcement(instance, kLocalhostIp, false);
        partial.answers.removeAt(3); // the A record
        QVERIFY(sightingsIn(partial).isEmpty());
        // A query carrying the same records is not a response.
        DnsMessage notResponse = announcement(instance, kLocalhostIp, false);
        notResponse.flags = 0;
        QVERIFY(sightingsIn(notResponse).isEmpty());
    }

    void labelsFromUserText()
    {
        // 30 three-byte characters are 90 bytes: cut to 21 whole characters.
        const QByteArray cut = instanceLabelFrom(QString(30, QChar(0x56e2)));
        QCOMPARE(cut.size(), 63);
        QCOMPARE(QString::fromUtf8(cut), QString(21, QChar(0x56e2)));
        const QByteArray mixed = instanceLabelFrom(QStringLiteral("a") + QString(30, QChar(0x56e2)));
        QCOMPARE(mixed.size(), 61); // 'a' + 20 characters; the 21st would need byte 64
        QVERIFY(QString::fromUtf8(mixed).toUtf8() == mixed);
        QCOMPARE(instanceLabelFrom(QStringLiteral("  Confab on x.y  ")), QByteArray("Confab on x.y"));
        QCOMPARE(hostLabelFrom(QStringLiteral("my_host.example.org")), QByteArray("my-host"));
        QCOMPARE(hostLabelFrom(QString()), QByteArray("confab"));
    }

    void txtPairs()
    {
        const auto pairs = parseTxt({"v=1", "TLS=0", "tls=1", "flag", "=x", "path=/a=b"});
        QCOMPARE(pairs.value("v"), QByteArray("1"));
        QCOMPARE(pairs.value("tls"), QByteArray("0")); // the first one wins
        QVERIFY(pairs.contains("flag"));
        QCOMPARE(pairs.value("path"), QByteArray("/a=b"));
        QCOMPARE(pairs.size(), 4);
    }
};

QTEST_GUILESS_MAIN(TestDnsMessage)
#include "tst_dns_message.moc"
