// The server's WebSocket layer (server/ws) on real loopback sockets: Qt's own
// QWebSocket as a well-behaved client, and a raw QTcpSocket for the bytes a
// well-behaved client never sends.
#include "ws/ws_server.h"

#include <QPointer>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QWebSocket>

using namespace confab::server::ws;

namespace {

const QByteArray kUpgrade = "GET /?token=t HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            "Sec-WebSocket-Version: 13\r\n\r\n";

QByteArray masked(quint8 firstByte, QByteArrayView payload)
{
    QByteArray out;
    out.append(char(firstByte));
    if (payload.size() < 126)
        out.append(char(0x80 | payload.size()));
    else
        out.append(char(0x80 | 126)).append(char(payload.size() >> 8)).append(char(payload.size() & 0xFF));
    const char mask[4] = {'\x11', '\x22', '\x33', '\x44'};
    out.append(mask, 4);
    for (qsizetype i = 0; i < payload.size(); ++i)
        out.append(char(payload[i] ^ mask[i & 3]));
    return out;
}

// A server whose opened sockets record what they receive.
struct Harness {
    WsServer server{64 * 1024};
    QList<QPointer<WsSocket>> sockets;
    QStringList texts;
    int binaries = 0;
    int disconnects = 0;

    Harness()
    {
        QObject::connect(&server, &WsServer::socketOpened, &server, [this](WsSocket* s) {
            sockets.append(s);
            QObject::connect(s, &WsSocket::textMessageReceived, s,
                             [this](const QString& t) { texts.append(t); });
            QObject::connect(s, &WsSocket::binaryMessageReceived, s, [this] { ++binaries; });
            QObject::connect(s, &WsSocket::disconnected, s, [this] { ++disconnects; });
        });
        server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const { return server.serverUrl(); }
    // A plain TCP client, for the bytes QWebSocket would never send.
    bool connectRaw(QTcpSocket& raw)
    {
        raw.connectToHost(QHostAddress::LocalHost, server.serverPort());
        return raw.waitForConnected(5000);
    }
};

// Reads server frames from a raw socket: (opcode, payload) pairs.
QList<QPair<int, QByteArray>> serverFrames(QByteArray bytes)
{
    QList<QPair<int, QByteArray>> frames;
    while (bytes.size() >= 2) {
        const auto* p = reinterpret_cast<const quint8*>(bytes.constData());
        qsizetype n = p[1] & 0x7F;
        int header = 2;
        if (n == 126) {
            if (bytes.size() < 4)
                break;
            n = (p[2] << 8) | p[3];
            header = 4;
        }
        if (bytes.size() < header + n)
            break;
        frames.append({p[0] & 0x0F, bytes.mid(header, n)});
        bytes.remove(0, header + n);
    }
    return frames;
}

// Everything the server sends until it closes the connection.
QByteArray readUntilClosed(QTcpSocket& raw, int timeoutMs = 5000)
{
    QByteArray all;
    QElapsedTimer clock;
    clock.start();
    while (raw.state() != QAbstractSocket::UnconnectedState && clock.elapsed() < timeoutMs) {
        QTest::qWait(5);
        all += raw.readAll();
    }
    all += raw.readAll();
    return all;
}

QByteArray afterHead(const QByteArray& response)
{
    return response.mid(response.indexOf("\r\n\r\n") + 4);
}

} // namespace

class TestWsSocket : public QObject {
    Q_OBJECT
private slots:
    void textBothWaysWithQWebSocket();
    void oneFrameSharedByManyRecipients();
    void answersPingsAndEchoesTheClientsClose();
    void serverCloseReachesTheClientWithCodeAndReason();
    void pipelinedFramesAfterTheHandshakeAreRead();
    void fragmentedMessageWithAPingInside();
    void plainHttpGetsAnUpgradeRequiredResponse();
    void unmaskedFrameClosesWithProtocolError();
    void invalidUtf8ClosesWith1007();
    void oversizedFrameClosesWith1009BeforeItsPayload();
    void aClientThatStopsReadingIsQueuedThenCatchesUp();
    void abortDropsTheConnectionAtOnce();
    // Flow control (issue 12, item 1).
    void pingsFromAPeerThatNeverReadsQueueOnePong();
    void aQueueOverItsCapIsAborted();
    void readingPausesWhileTheQueueIsAboveItsHighWaterMark();
    void theFrameRateDelaysFramesInOrder();
    void heldInputDeliversNothingUntilReleased();
};

void TestWsSocket::textBothWaysWithQWebSocket()
{
    Harness h;
    QWebSocket client;
    QSignalSpy received(&client, &QWebSocket::textMessageReceived);
    client.open(h.url());
    QTRY_COMPARE(h.sockets.size(), 1);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState); // QWebSocket drops what is sent before its handshake ends
    QCOMPARE(h.sockets[0]->request().url().query(), QStringLiteral("")); // QWebSocket sent no query
    client.sendTextMessage(QStringLiteral("héllo 你好"));
    QTRY_COMPARE(h.texts, QStringList{QStringLiteral("héllo 你好")});
    h.sockets[0]->sendText(QStringLiteral("会议 at 10"));
    QTRY_COMPARE(received.size(), 1);
    QCOMPARE(received[0][0].toString(), QStringLiteral("会议 at 10"));
    QCOMPARE(h.sockets[0]->peerAddress(), QHostAddress(QHostAddress::LocalHost));
}

void TestWsSocket::oneFrameSharedByManyRecipients()
{
    Harness h;
    std::vector<std::unique_ptr<QWebSocket>> clients;
    QList<QStringList> got(20);
    for (int i = 0; i < 20; ++i) {
        clients.push_back(std::make_unique<QWebSocket>());
        connect(clients.back().get(), &QWebSocket::textMessageReceived, this,
                [&got, i](const QString& t) { got[i].append(t); });
        clients.back()->open(h.url());
    }
    QTRY_COMPARE(h.sockets.size(), 20);
    for (int n = 0; n < 100; ++n) {
        const QByteArray frame = encodeFrame(Opcode::Text, QByteArray::number(n));
        for (const auto& s : std::as_const(h.sockets))
            s->sendFrame(frame);
    }
    QStringList expected;
    for (int n = 0; n < 100; ++n)
        expected.append(QString::number(n));
    for (int i = 0; i < 20; ++i)
        QTRY_COMPARE(got[i], expected); // every one, in order
}

void TestWsSocket::answersPingsAndEchoesTheClientsClose()
{
    Harness h;
    QWebSocket client;
    QSignalSpy pong(&client, &QWebSocket::pong);
    QSignalSpy gone(&client, &QWebSocket::disconnected);
    client.open(h.url());
    QTRY_COMPARE(h.sockets.size(), 1);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState); // QWebSocket drops what is sent before its handshake ends
    client.ping("are you there");
    QTRY_COMPARE(pong.size(), 1);
    QCOMPARE(pong[0][1].toByteArray(), QByteArray("are you there"));
    client.close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("bye"));
    QTRY_COMPARE(gone.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeNormal);
    QTRY_COMPARE(h.disconnects, 1);
}

void TestWsSocket::serverCloseReachesTheClientWithCodeAndReason()
{
    Harness h;
    QWebSocket client;
    QSignalSpy gone(&client, &QWebSocket::disconnected);
    client.open(h.url());
    QTRY_COMPARE(h.sockets.size(), 1);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState); // QWebSocket drops what is sent before its handshake ends
    h.sockets[0]->sendText(QStringLiteral("last words"));
    h.sockets[0]->close(1008, QStringLiteral("logged out"));
    h.sockets[0]->sendText(QStringLiteral("never sent"));
    QTRY_COMPARE(gone.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
    QCOMPARE(client.closeReason(), QStringLiteral("logged out"));
    QTRY_COMPARE(h.disconnects, 1);
}

void TestWsSocket::pipelinedFramesAfterTheHandshakeAreRead()
{
    Harness h;
    QTcpSocket raw;
    QVERIFY(h.connectRaw(raw));
    raw.write(kUpgrade + masked(0x81, "first") + masked(0x81, "second"));
    QTRY_COMPARE(h.texts, (QStringList{QStringLiteral("first"), QStringLiteral("second")}));
    QCOMPARE(h.sockets[0]->request().url().query(), QStringLiteral("token=t"));
    QTRY_VERIFY(raw.bytesAvailable() > 0);
    const QByteArray response = raw.readAll();
    QVERIFY(response.startsWith("HTTP/1.1 101 Switching Protocols\r\n"));
    QVERIFY(response.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"));
}

void TestWsSocket::fragmentedMessageWithAPingInside()
{
    Harness h;
    QTcpSocket raw;
    QVERIFY(h.connectRaw(raw));
    raw.write(kUpgrade + masked(0x01, "frag") + masked(0x89, "p") + masked(0x80, "mented"));
    QTRY_COMPARE(h.texts, QStringList{QStringLiteral("fragmented")});
    QByteArray bytes;
    QTRY_VERIFY((bytes += raw.readAll()).contains("\x8a\x01p"));
}

void TestWsSocket::plainHttpGetsAnUpgradeRequiredResponse()
{
    Harness h;
    QTcpSocket raw;
    QVERIFY(h.connectRaw(raw));
    raw.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const QByteArray response = readUntilClosed(raw);
    QVERIFY2(response.startsWith("HTTP/1.1 426 Upgrade Required\r\n"), response.constData());
    QCOMPARE(raw.state(), QAbstractSocket::UnconnectedState);
    QVERIFY(h.sockets.isEmpty());
}

void TestWsSocket::unmaskedFrameClosesWithProtocolError()
{
    Harness h;
    QTcpSocket raw;
    QVERIFY(h.connectRaw(raw));
    raw.write(kUpgrade + QByteArray("\x81\x02hi", 4));
    const auto frames = serverFrames(afterHead(readUntilClosed(raw)));
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames[0].first, 0x8);
    QCOMPARE(frames[0].second.left(2), QByteArray("\x03\xea", 2)); // 1002
    QVERIFY(h.texts.isEmpty());
    QTRY_COMPARE(h.disconnects, 1);
}

void TestWsSocket::invalidUtf8ClosesWith1007()
{
    Harness h;
    QTcpSocket raw;
    QVERIFY(h.connectRaw(raw));
    raw.write(kUpgrade + masked(0x81, QByteArray("ok \xc3\x28", 5)));
    const auto frames = serverFrames(afterHead(readUntilClosed(raw)));
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames[0].second.left(2), QByteArray("\x03\xef", 2)); // 1007
    QVERIFY(h.texts.isEmpty());
}

void TestWsSocket::oversizedFrameClosesWith1009BeforeItsPayload()
{
    Harness h; // 64 KiB limit
    QWebSocket client;
    QSignalSpy gone(&client, &QWebSocket::disconnected);
    client.open(h.url());
    QTRY_COMPARE(h.sockets.size(), 1);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState); // QWebSocket drops what is sent before its handshake ends
    client.sendTextMessage(QString(200 * 1024, QLatin1Char('x')));
    QTRY_COMPARE(gone.size(), 1);
    QCOMPARE(client.closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
    QVERIFY(h.texts.isEmpty());
}

void TestWsSocket::aClientThatStopsReadingIsQueuedThenCatchesUp()
{
    Harness h;
    QTcpSocket raw;
    raw.setReadBufferSize(1); // take nothing off the kernel until asked
    QVERIFY(h.connectRaw(raw));
    raw.write(kUpgrade);
    QTRY_COMPARE(h.sockets.size(), 1);
    const QByteArray big = encodeFrame(Opcode::Text, QByteArray(60'000, 'z'));
    for (int i = 0; i < 200; ++i) // 12 MB: far more than the kernel buffers hold
        h.sockets[0]->sendFrame(big);
    QTRY_VERIFY(h.sockets[0]->bytesToWrite() > 0);
    QTest::qWait(50);
    QVERIFY(h.sockets[0]->bytesToWrite() > 1'000'000); // held, waiting for the reader
    raw.setReadBufferSize(0);
    QByteArray all;
    QElapsedTimer clock;
    clock.start();
    while (all.size() < 200 * big.size() && clock.elapsed() < 20'000) {
        QTest::qWait(5);
        all += raw.readAll();
    }
    const QByteArray frames = afterHead(all);
    QCOMPARE(frames.size(), 200 * big.size());
    QCOMPARE(frames.left(big.size()), big);
    QCOMPARE(frames.right(big.size()), big);
    QTRY_COMPARE(h.sockets[0]->bytesToWrite(), 0);
}

void TestWsSocket::abortDropsTheConnectionAtOnce()
{
    Harness h;
    QWebSocket client;
    QSignalSpy gone(&client, &QWebSocket::disconnected);
    client.open(h.url());
    QTRY_COMPARE(h.sockets.size(), 1);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState); // QWebSocket drops what is sent before its handshake ends
    h.sockets[0]->abort();
    QCOMPARE(h.disconnects, 1);
    QCOMPARE(h.sockets[0]->state(), WsSocket::State::Closed);
    QTRY_COMPARE(gone.size(), 1);
}

// Fills the kernel's buffers towards a peer that does not read, leaving
// less than the high-water mark queued in the socket itself.
static bool fillKernelBuffers(WsSocket& socket)
{
    const QByteArray chunk = encodeFrame(Opcode::Binary, QByteArray(60'000, 'k'));
    for (int i = 0; i < 2000 && socket.bytesToWrite() == 0; ++i) {
        socket.sendFrame(chunk);
        socket.flushNow();
    }
    return socket.bytesToWrite() > 0 && socket.bytesToWrite() < WsSocket::kHighWaterBytes;
}

void TestWsSocket::pingsFromAPeerThatNeverReadsQueueOnePong()
{
    Harness h;
    QTcpSocket raw;
    raw.setReadBufferSize(1); // takes nothing off the kernel
    QVERIFY(h.connectRaw(raw));
    raw.write(kUpgrade);
    QTRY_COMPARE(h.sockets.size(), 1);
    WsSocket& socket = *h.sockets[0];
    QVERIFY(fillKernelBuffers(socket));
    const qint64 queued = socket.bytesToWrite();
    const quint64 coalescedBefore = ioCounters().pongsCoalesced.load();
    QByteArray pings;
    for (int i = 0; i < 1000; ++i)
        pings += masked(0x89, QByteArray::number(i));
    raw.write(pings);
    QTRY_COMPARE(ioCounters().pongsCoalesced.load() - coalescedBefore, quint64(999));
    // One pong queued (answering ping 999), not a thousand.
    QCOMPARE(socket.bytesToWrite(), queued + encodeFrame(Opcode::Pong, "999").size());
    QVERIFY(socket.state() == WsSocket::State::Open);

    raw.setReadBufferSize(0);
    QByteArray all;
    QTRY_VERIFY_WITH_TIMEOUT((all += raw.readAll(), socket.bytesToWrite() == 0), 20000);
    QTest::qWait(50);
    all += raw.readAll();
    QCOMPARE(all.count(encodeFrame(Opcode::Pong, "999")), 1);
    QCOMPARE(all.count(encodeFrame(Opcode::Pong, "998")), 0);
}

void TestWsSocket::aQueueOverItsCapIsAborted()
{
    Harness h;
    QTcpSocket raw;
    raw.setReadBufferSize(1);
    QVERIFY(h.connectRaw(raw));
    raw.write(kUpgrade);
    QTRY_COMPARE(h.sockets.size(), 1);
    QPointer<WsSocket> socket = h.sockets[0];
    socket->setMaxQueuedBytes(1024 * 1024);
    const quint64 overflowsBefore = ioCounters().queueOverflows.load();
    const QByteArray chunk = encodeFrame(Opcode::Binary, QByteArray(60'000, 'k'));
    int sent = 0;
    while (socket->state() == WsSocket::State::Open && sent < 2000) {
        socket->sendFrame(chunk);
        socket->flushNow();
        ++sent;
    }
    QCOMPARE(socket->state(), WsSocket::State::Closed);
    QVERIFY(socket->overflowed());
    QCOMPARE(socket->bytesToWrite(), 0); // what was queued is gone with it
    QCOMPARE(h.disconnects, 1);
    QCOMPARE(ioCounters().queueOverflows.load() - overflowsBefore, quint64(1));
    QVERIFY(sent < 2000);
}

void TestWsSocket::readingPausesWhileTheQueueIsAboveItsHighWaterMark()
{
    Harness h;
    QTcpSocket raw;
    raw.setReadBufferSize(1);
    QVERIFY(h.connectRaw(raw));
    raw.write(kUpgrade);
    QTRY_COMPARE(h.sockets.size(), 1);
    WsSocket& socket = *h.sockets[0];
    const QByteArray big = encodeFrame(Opcode::Text, QByteArray(60'000, 'z'));
    for (int i = 0; i < 200; ++i) // 12 MB, far above the high-water mark
        socket.sendFrame(big);
    QTRY_VERIFY(socket.isReadingPaused());
    raw.write(masked(0x81, "one") + masked(0x81, "two") + masked(0x89, "ping"));
    QTest::qWait(200);
    QVERIFY(h.texts.isEmpty()); // not read: the peer's bytes wait in TCP buffers

    raw.setReadBufferSize(0); // the peer catches up: reading resumes, in order
    QByteArray all;
    QTRY_VERIFY_WITH_TIMEOUT((all += raw.readAll(), h.texts.size() == 2), 20000);
    QCOMPARE(h.texts, (QStringList{QStringLiteral("one"), QStringLiteral("two")}));
    QTRY_VERIFY((all += raw.readAll(), all.endsWith(encodeFrame(Opcode::Pong, "ping"))));
    QVERIFY(!socket.isReadingPaused());
}

void TestWsSocket::theFrameRateDelaysFramesInOrder()
{
    Harness h;
    QWebSocket client;
    client.open(h.url());
    QTRY_COMPARE(h.sockets.size(), 1);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState); // QWebSocket drops what is sent before its handshake ends
    h.sockets[0]->setFrameRate(20, 5);
    const quint64 pausesBefore = ioCounters().ratePauses.load();
    QStringList expected;
    for (int i = 0; i < 20; ++i) {
        expected << QString::number(i);
        client.sendTextMessage(expected.constLast());
    }
    QTRY_VERIFY(h.texts.size() >= 5);
    QVERIFY(h.texts.size() < 20); // the rest come one per 50 ms
    QVERIFY(ioCounters().ratePauses.load() > pausesBefore);
    QTRY_COMPARE_WITH_TIMEOUT(h.texts, expected, 10000);
    h.sockets[0]->setFrameRate(0, 0); // no limit: a burst arrives at once
    for (int i = 0; i < 50; ++i)
        client.sendTextMessage(QStringLiteral("x"));
    QTRY_COMPARE(h.texts.size(), 70);
}

void TestWsSocket::heldInputDeliversNothingUntilReleased()
{
    Harness h;
    QWebSocket client;
    QSignalSpy pong(&client, &QWebSocket::pong);
    client.open(h.url());
    QTRY_COMPARE(h.sockets.size(), 1);
    QTRY_COMPARE(client.state(), QAbstractSocket::ConnectedState); // QWebSocket drops what is sent before its handshake ends
    h.sockets[0]->holdInput();
    QVERIFY(h.sockets[0]->isInputHeld());
    client.sendTextMessage(QStringLiteral("a"));
    client.ping("p");
    client.sendTextMessage(QStringLiteral("b"));
    QTest::qWait(200);
    QVERIFY(h.texts.isEmpty());
    QCOMPARE(pong.size(), 0); // not even a ping is read
    h.sockets[0]->releaseInput();
    QTRY_COMPARE(h.texts, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QTRY_COMPARE(pong.size(), 1);
}

QTEST_GUILESS_MAIN(TestWsSocket)
#include "tst_ws_socket.moc"
