// RFC 6455 framing and the upgrade handshake (server/ws), without sockets.
#include "ws/ws_frame.h"
#include "ws/ws_handshake.h"

#include <QRandomGenerator>
#include <QTest>

using namespace confab::server::ws;

namespace {

// A frame as a client sends it: masked with `key`.
QByteArray clientFrame(quint8 firstByte, QByteArrayView payload, quint32 key = 0x1234abcd)
{
    QByteArray out;
    out.append(char(firstByte));
    const qsizetype n = payload.size();
    if (n < 126) {
        out.append(char(0x80 | n));
    } else if (n <= 0xFFFF) {
        out.append(char(0x80 | 126)).append(char(n >> 8)).append(char(n & 0xFF));
    } else {
        out.append(char(0x80 | 127));
        for (int i = 7; i >= 0; --i)
            out.append(char((quint64(n) >> (8 * i)) & 0xFF));
    }
    const char mask[4] = {char(key >> 24), char(key >> 16), char(key >> 8), char(key)};
    out.append(mask, 4);
    for (qsizetype i = 0; i < n; ++i)
        out.append(char(payload[i] ^ mask[i & 3]));
    return out;
}

QByteArray clientText(QByteArrayView payload, bool fin = true)
{
    return clientFrame((fin ? 0x80 : 0) | 0x1, payload);
}

struct Received {
    Opcode opcode;
    QByteArray payload;
};

struct Feed {
    QList<Received> messages;
    std::optional<FrameError> error;
};

Feed feedAll(FrameParser& parser, QByteArrayView bytes, qsizetype chunk = 0)
{
    Feed result;
    const auto sink = [&](Opcode op, QByteArray payload) {
        result.messages.append({op, std::move(payload)});
    };
    if (chunk <= 0)
        chunk = bytes.size();
    for (qsizetype at = 0; at < bytes.size() && !result.error; at += chunk)
        result.error = parser.feed(bytes.sliced(at, qMin(chunk, bytes.size() - at)), sink);
    return result;
}

// What a client reads back: the payload of a server frame (unmasked, FIN).
QByteArray serverPayload(const QByteArray& frame, quint8 expectedFirstByte)
{
    const auto* p = reinterpret_cast<const quint8*>(frame.constData());
    if (p[0] != expectedFirstByte || (p[1] & 0x80))
        return "<bad header>";
    quint64 n = p[1] & 0x7F;
    int header = 2;
    if (n == 126) {
        n = (quint64(p[2]) << 8) | p[3];
        header = 4;
    } else if (n == 127) {
        n = 0;
        for (int i = 0; i < 8; ++i)
            n = (n << 8) | p[2 + i];
        header = 10;
    }
    if (quint64(frame.size() - header) != n)
        return "<bad length>";
    return frame.mid(header);
}

} // namespace

class TestWsFrame : public QObject {
    Q_OBJECT
private slots:
    void encodesEveryLengthForm_data();
    void encodesEveryLengthForm();
    void parsesMaskedFramesOfEveryLengthForm_data();
    void parsesMaskedFramesOfEveryLengthForm();
    void reassemblesFragmentsAroundControlFrames();
    void parsesAStreamFedOneByteAtATime();
    void aPausedParserHoldsTheRestInOrder();
    void clientSideRoundTrip();
    void refusesProtocolViolations_data();
    void refusesProtocolViolations();
    void refusesAnOversizedMessageFromItsHeader();
    void refusesFragmentsThatTogetherAreTooBig();
    void closeFramesCarryCodeAndReason();
    void closeReasonIsCutAtACodePoint();
    void acceptKeyMatchesTheRfcExample();
    void acceptsAnUpgradeRequest();
    void waitsForTheWholeHead();
    void refusesBadUpgrades_data();
    void refusesBadUpgrades();
};

void TestWsFrame::encodesEveryLengthForm_data()
{
    QTest::addColumn<int>("size");
    for (int size : {0, 1, 125, 126, 127, 65535, 65536, 300000})
        QTest::addRow("%d", size) << size;
}

void TestWsFrame::encodesEveryLengthForm()
{
    QFETCH(int, size);
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char(i * 7);
    const QByteArray frame = encodeFrame(Opcode::Text, payload);
    QCOMPARE(serverPayload(frame, 0x81), payload);
}

void TestWsFrame::parsesMaskedFramesOfEveryLengthForm_data()
{
    encodesEveryLengthForm_data();
}

void TestWsFrame::parsesMaskedFramesOfEveryLengthForm()
{
    QFETCH(int, size);
    QByteArray payload(size, Qt::Uninitialized);
    for (int i = 0; i < size; ++i)
        payload[i] = char('a' + i % 26);
    FrameParser parser(1 << 20);
    const Feed feed = feedAll(parser, clientText(payload), 4096);
    QVERIFY(!feed.error);
    QCOMPARE(feed.messages.size(), 1);
    QCOMPARE(feed.messages[0].opcode, Opcode::Text);
    QCOMPARE(feed.messages[0].payload, payload);
    QCOMPARE(parser.bufferedBytes(), 0);
}

void TestWsFrame::reassemblesFragmentsAroundControlFrames()
{
    FrameParser parser(1 << 20);
    QByteArray stream = clientText("Hello, ", false);
    stream += clientFrame(0x89, "are you there?"); // ping between fragments
    stream += clientFrame(0x00, "wor");            // continuation
    stream += clientFrame(0x80, "ld");             // final continuation
    stream += clientFrame(0x82, QByteArray("\x00\x01", 2));
    const Feed feed = feedAll(parser, stream);
    QVERIFY(!feed.error);
    QCOMPARE(feed.messages.size(), 3);
    QCOMPARE(feed.messages[0].opcode, Opcode::Ping);
    QCOMPARE(feed.messages[0].payload, QByteArray("are you there?"));
    QCOMPARE(feed.messages[1].opcode, Opcode::Text);
    QCOMPARE(feed.messages[1].payload, QByteArray("Hello, world"));
    QCOMPARE(feed.messages[2].opcode, Opcode::Binary);
    QCOMPARE(feed.messages[2].payload, QByteArray("\x00\x01", 2));
}

void TestWsFrame::parsesAStreamFedOneByteAtATime()
{
    QByteArray stream;
    QList<QByteArray> sent;
    for (int i = 0; i < 50; ++i) {
        const QByteArray text = QByteArray::number(i).repeated(1 + i * 13 % 200);
        sent.append(text);
        stream += clientFrame(0x81, text, QRandomGenerator::global()->generate());
    }
    FrameParser parser(1 << 20);
    const Feed feed = feedAll(parser, stream, 1);
    QVERIFY2(!feed.error, feed.error ? feed.error->reason.constData() : "");
    QCOMPARE(feed.messages.size(), sent.size());
    for (int i = 0; i < sent.size(); ++i)
        QCOMPARE(feed.messages[i].payload, sent[i]);
}

// Backpressure (WsSocket): a sink pauses the parser after a frame; the
// frames behind it stay unparsed, more bytes fed meanwhile are only kept,
// and after resume() feed({}) delivers them all, in order, whatever the
// chunking, a frame split across the pause included.
void TestWsFrame::aPausedParserHoldsTheRestInOrder()
{
    QByteArray stream;
    QList<QByteArray> sent;
    for (int i = 0; i < 40; ++i) {
        sent.append(QByteArray::number(i).repeated(1 + i * 7 % 90));
        stream += clientFrame(0x81, sent.constLast(), QRandomGenerator::global()->generate());
    }
    for (const qsizetype chunk : {qsizetype(1), qsizetype(7), qsizetype(100), stream.size()}) {
        FrameParser parser(1 << 20);
        QList<QByteArray> got;
        const auto sink = [&](Opcode, QByteArray payload) {
            got.append(payload);
            if (got.size() % 3 == 0)
                parser.pause(); // every third frame
        };
        for (qsizetype at = 0; at < stream.size(); at += chunk) {
            const qsizetype before = got.size();
            QVERIFY(!parser.feed(stream.sliced(at, qMin(chunk, stream.size() - at)), sink));
            QVERIFY(got.size() - before <= 3);
            while (parser.isPaused()) { // the owner catches up, then resumes
                parser.resume();
                QVERIFY(!parser.feed({}, sink));
            }
        }
        QCOMPARE(got, sent);
        QVERIFY(!parser.hasUnparsedInput());
        QCOMPARE(parser.bufferedBytes(), 0);
    }
    // Fed while paused: kept, not parsed.
    FrameParser parser(1 << 20);
    QList<QByteArray> got;
    const auto sink = [&](Opcode, QByteArray payload) { got.append(payload); };
    parser.pause();
    QVERIFY(!parser.feed(stream, sink));
    QVERIFY(got.isEmpty());
    QVERIFY(parser.hasUnparsedInput());
    QCOMPARE(parser.bufferedBytes(), stream.size());
    parser.resume();
    QVERIFY(!parser.feed({}, sink));
    QCOMPARE(got, sent);
}

void TestWsFrame::clientSideRoundTrip()
{
    // What the load tool does: masked frames out, the server's unmasked frames in.
    const QByteArray text = QString(QStringLiteral("你好 mei")).repeated(40).toUtf8();
    FrameParser server(1 << 20, FrameParser::Peer::Client);
    const Feed atServer = feedAll(server, encodeMaskedFrame(Opcode::Text, text, 0xa1b2c3d4));
    QVERIFY(!atServer.error);
    QCOMPARE(atServer.messages.size(), 1);
    QCOMPARE(atServer.messages[0].payload, text);
    QCOMPARE(encodeMaskedFrame(Opcode::Text, "abc", 0x01020304), clientFrame(0x81, "abc", 0x01020304));

    FrameParser client(1 << 20, FrameParser::Peer::Server);
    const Feed atClient = feedAll(client, encodeFrame(Opcode::Text, text) + encodeClose(1000, "bye"), 3);
    QVERIFY(!atClient.error);
    QCOMPARE(atClient.messages.size(), 2);
    QCOMPARE(atClient.messages[0].payload, text);
    QCOMPARE(atClient.messages[1].opcode, Opcode::Close);
    const Feed masked = feedAll(client, clientFrame(0x81, "x"));
    QVERIFY(masked.error);
    QCOMPARE(masked.error->code, close_code::ProtocolError);
}

void TestWsFrame::refusesProtocolViolations_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("code");
    QTest::newRow("unmasked") << QByteArray("\x81\x02hi", 4) << 1002;
    QTest::newRow("reserved bit") << clientFrame(0xC1, "hi") << 1002;
    QTest::newRow("unknown opcode") << clientFrame(0x83, "hi") << 1002;
    QTest::newRow("fragmented ping") << clientFrame(0x09, "hi") << 1002;
    QTest::newRow("ping over 125 bytes") << clientFrame(0x89, QByteArray(126, 'x')) << 1002;
    QTest::newRow("continuation first") << clientFrame(0x80, "hi") << 1002;
    QTest::newRow("text inside a fragmented text") << clientText("a", false) + clientText("b") << 1002;
    QByteArray topBit = clientFrame(0x81, "");
    topBit[1] = char(0x80 | 127);
    topBit.insert(2, QByteArray("\x80\0\0\0\0\0\0\0", 8));
    QTest::newRow("64-bit length with its top bit") << topBit << 1002;
}

void TestWsFrame::refusesProtocolViolations()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, code);
    FrameParser parser(1 << 20);
    const Feed feed = feedAll(parser, stream);
    QVERIFY(feed.error);
    QCOMPARE(int(feed.error->code), code);
    QVERIFY(!feed.error->reason.isEmpty());
}

void TestWsFrame::refusesAnOversizedMessageFromItsHeader()
{
    FrameParser parser(1000);
    // Only the header and the mask of a 1,001-byte frame: refused already.
    const QByteArray header = clientText(QByteArray(1001, 'x')).left(8);
    const Feed feed = feedAll(parser, header);
    QVERIFY(feed.error);
    QCOMPARE(feed.error->code, close_code::TooBig);
    QCOMPARE(parser.bufferedBytes(), 0);

    FrameParser exact(1000);
    const Feed fits = feedAll(exact, clientText(QByteArray(1000, 'x')));
    QVERIFY(!fits.error);
    QCOMPARE(fits.messages.size(), 1);
}

void TestWsFrame::refusesFragmentsThatTogetherAreTooBig()
{
    FrameParser parser(1000);
    const Feed feed =
        feedAll(parser, clientText(QByteArray(600, 'x'), false) + clientFrame(0x80, QByteArray(401, 'y')));
    QVERIFY(feed.error);
    QCOMPARE(feed.error->code, close_code::TooBig);
    QVERIFY(feed.messages.isEmpty());
}

void TestWsFrame::closeFramesCarryCodeAndReason()
{
    const QByteArray frame = encodeClose(1008, "logged out");
    const QByteArray payload = serverPayload(frame, 0x88);
    const auto info = parseClosePayload(payload);
    QVERIFY(info);
    QCOMPARE(info->code, quint16(1008));
    QCOMPARE(info->reason, QByteArray("logged out"));

    QCOMPARE(parseClosePayload({})->code, close_code::NoStatus);
    QVERIFY(!parseClosePayload(QByteArray("\x03", 1)));             // one byte
    QVERIFY(!parseClosePayload(QByteArray("\x03\xed", 2)));         // 1005 is reserved
    QVERIFY(!parseClosePayload(QByteArray("\x03\xe8\xff\xfe", 4))); // reason not UTF-8
    QCOMPARE(parseClosePayload(QByteArray("\x0f\xa0", 2))->code, quint16(4000));
}

void TestWsFrame::closeReasonIsCutAtACodePoint()
{
    const QByteArray reason = QString(QStringLiteral("会")).repeated(60).toUtf8(); // 180 bytes
    const QByteArray payload = serverPayload(encodeClose(1000, reason), 0x88);
    QVERIFY(payload.size() <= 125);
    const auto info = parseClosePayload(payload);
    QVERIFY(info);
    QCOMPARE(info->reason, QString(QStringLiteral("会")).repeated(41).toUtf8());
}

void TestWsFrame::acceptKeyMatchesTheRfcExample()
{
    // RFC 6455 §1.3.
    QCOMPARE(acceptKey("dGhlIHNhbXBsZSBub25jZQ=="), QByteArray("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
}

void TestWsFrame::acceptsAnUpgradeRequest()
{
    const QByteArray head = "GET /chat?token=abc%20def HTTP/1.1\r\n"
                            "Host: example.lan:7860\r\n"
                            "upgrade: WebSocket\r\n"
                            "Connection: keep-alive, Upgrade\r\n"
                            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n"
                            "X-Forwarded-For: 10.0.0.1\r\n"
                            "X-Forwarded-For: 10.0.0.2\r\n\r\n";
    const QByteArray firstFrame = clientText("{}");
    const HandshakeOutcome outcome = parseHandshake(head + firstFrame);
    QCOMPARE(outcome.state, HandshakeOutcome::State::Accepted);
    QCOMPARE(outcome.consumed, head.size());
    QVERIFY(outcome.response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(outcome.response.contains("\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
    QVERIFY(outcome.response.endsWith("\r\n\r\n"));
    QCOMPARE(outcome.request.rawHeader("x-forwarded-for"), QByteArray("10.0.0.1, 10.0.0.2"));
    QCOMPARE(outcome.request.url().host(), QStringLiteral("example.lan"));
    QCOMPARE(outcome.request.url().path(), QStringLiteral("/chat"));
    QCOMPARE(outcome.request.url().query(QUrl::FullyDecoded), QStringLiteral("token=abc def"));
}

void TestWsFrame::waitsForTheWholeHead()
{
    const QByteArray head =
        "GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    for (qsizetype cut = 0; cut < head.size(); ++cut)
        QCOMPARE(parseHandshake(head.left(cut)).state, HandshakeOutcome::State::Incomplete);
    QCOMPARE(parseHandshake(head).state, HandshakeOutcome::State::Accepted);
}

void TestWsFrame::refusesBadUpgrades_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<QByteArray>("status");
    QTest::addColumn<QByteArray>("header");
    const QByteArray key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    const QByteArray upgrade = "Upgrade: websocket\r\nConnection: Upgrade\r\n";
    QTest::newRow("plain GET") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n\r\n") << QByteArray("426")
                               << QByteArray("Upgrade: websocket");
    QTest::newRow("old version") << "GET / HTTP/1.1\r\n" + upgrade + key + "Sec-WebSocket-Version: 8\r\n\r\n"
                                 << QByteArray("426") << QByteArray("Sec-WebSocket-Version: 13");
    QTest::newRow("no key") << "GET / HTTP/1.1\r\n" + upgrade + "Sec-WebSocket-Version: 13\r\n\r\n"
                            << QByteArray("400") << QByteArray();
    QTest::newRow("short key") << "GET / HTTP/1.1\r\n" + upgrade +
                                      "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n"
                               << QByteArray("400") << QByteArray();
    QTest::newRow("POST") << "POST / HTTP/1.1\r\n" + upgrade + key + "Sec-WebSocket-Version: 13\r\n\r\n"
                          << QByteArray("405") << QByteArray("Allow: GET");
    QTest::newRow("garbage") << QByteArray("\x16\x03\x01 hello\r\n\r\n") << QByteArray("400") << QByteArray();
    QTest::newRow("header without colon") << "GET / HTTP/1.1\r\nnonsense\r\n" + upgrade + "\r\n"
                                          << QByteArray("400") << QByteArray();
    QTest::newRow("endless head") << "GET / HTTP/1.1\r\n" + QByteArray("X-A: b\r\n").repeated(3000)
                                  << QByteArray("431") << QByteArray();
}

void TestWsFrame::refusesBadUpgrades()
{
    QFETCH(QByteArray, head);
    QFETCH(QByteArray, status);
    QFETCH(QByteArray, header);
    const HandshakeOutcome outcome = parseHandshake(head);
    QCOMPARE(outcome.state, HandshakeOutcome::State::Refused);
    QVERIFY2(outcome.response.startsWith("HTTP/1.1 " + status + " "), outcome.response.constData());
    QVERIFY(outcome.response.contains("\r\nConnection: close\r\n"));
    if (!header.isEmpty())
        QVERIFY2(outcome.response.contains("\r\n" + header + "\r\n"), outcome.response.constData());
}

QTEST_APPLESS_MAIN(TestWsFrame)
#include "tst_ws_frame.moc"
