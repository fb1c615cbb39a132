// The load tool's WebSocket client (bench/raw_ws_client.h) against the
// server's own WebSocket layer, and against a scripted TCP peer for what a
// well-behaved server never does: refusing the upgrade, a wrong
// Sec-WebSocket-Accept, a ping.
#include "raw_ws_client.h"
#include "ws/ws_handshake.h"
#include "ws/ws_server.h"

#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <functional>
#include <memory>

using namespace confab::bench;
using namespace confab::server::ws;

namespace {

struct Recorder final : RawWsClient::Listener {
    bool opened = false;
    QList<QByteArray> texts;
    QString closed; // why, once closed
    std::function<void()> onOpened;
    void wsOpened(int) override
    {
        opened = true;
        if (onOpened)
            onOpened();
    }
    void wsText(int, QByteArrayView payload) override { texts.append(payload.toByteArray()); }
    void wsClosed(int, const QString& why) override { closed = why.isEmpty() ? QStringLiteral("?") : why; }
};

// A TCP peer that answers the upgrade request with `respond(request head)`.
class ScriptedPeer : public QTcpServer {
public:
    std::function<QByteArray(const QByteArray&)> respond;
    QTcpSocket* socket = nullptr;
    QByteArray received; // what came after the request head

    ScriptedPeer()
    {
        listen(QHostAddress::LocalHost);
        connect(this, &QTcpServer::newConnection, this, [this] {
            socket = nextPendingConnection();
            connect(socket, &QTcpSocket::readyRead, this, [this] {
                const bool answered = m_head.contains("\r\n\r\n");
                (answered ? received : m_head) += socket->readAll();
                if (!answered && m_head.contains("\r\n\r\n"))
                    socket->write(respond(m_head));
            });
        });
    }

private:
    QByteArray m_head;
};

void open(RawWsClient& client, quint16 port)
{
    client.open(QHostAddress::LocalHost, port, "/?token=abc", "127.0.0.1:" + QByteArray::number(port));
}

} // namespace

class TestRawWsClient : public QObject {
    Q_OBJECT

private slots:
    void exchangesTextWithTheServerLayer()
    {
        WsServer server(1 << 20);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        QString target;
        WsSocket* peer = nullptr;
        connect(&server, &WsServer::socketOpened, this, [&](WsSocket* s) {
            peer = s;
            s->setParent(&server);
            target = QString::fromUtf8(s->request().target);
            connect(s, &WsSocket::textMessageReceived, s,
                    [s](const QString& t) { s->sendText(t + QLatin1Char('!')); });
        });
        Recorder recorder;
        RawWsClient client(recorder, 7);
        recorder.onOpened = [&] { client.sendFrame(encodeMaskedFrame(Opcode::Text, "héllo", 0x12345678)); };
        open(client, server.serverPort());
        QTRY_VERIFY(recorder.opened);
        QVERIFY(client.isOpen());
        QCOMPARE(target, QStringLiteral("/?token=abc"));
        QTRY_COMPARE(recorder.texts, QList<QByteArray>{QByteArray("héllo!")});

        // The server's close is echoed, and its EOF ends the client.
        peer->close(close_code::Normal, QStringLiteral("bye"));
        QTRY_COMPARE(recorder.closed, QStringLiteral("closed by the server"));
        QCOMPARE(client.state(), RawWsClient::State::Closed);
    }

    void answersPingsWithMaskedPongs()
    {
        ScriptedPeer peer;
        peer.respond = [](const QByteArray& head) {
            return parseHandshake(head).response + encodeFrame(Opcode::Text, "{}") +
                   encodeFrame(Opcode::Ping, "are you there");
        };
        Recorder recorder;
        RawWsClient client(recorder, 0);
        open(client, peer.serverPort());
        QTRY_COMPARE(recorder.texts.size(), 1); // the frame right behind the 101 is not lost
        QTRY_VERIFY(!peer.received.isEmpty());
        FrameParser parser(1024, FrameParser::Peer::Client); // requires masking
        QList<QPair<Opcode, QByteArray>> frames;
        QVERIFY(!parser.feed(peer.received, [&](Opcode o, QByteArray p) { frames.append({o, p}); }));
        QCOMPARE(frames.size(), 1);
        QCOMPARE(frames.at(0).first, Opcode::Pong);
        QCOMPARE(frames.at(0).second, QByteArray("are you there"));
        QVERIFY(recorder.closed.isEmpty());
    }

    // What the load tool reports as a connect failure's reason.
    void reportsARefusedHandshake_data()
    {
        QTest::addColumn<QByteArray>("response");
        QTest::addColumn<QString>("why");
        QTest::newRow("503") << QByteArray("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")
                             << QStringLiteral("HTTP 503 Service Unavailable");
        QTest::newRow("wrong accept")
            << QByteArray("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Accept: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n")
            << QStringLiteral("handshake: wrong Sec-WebSocket-Accept");
    }

    void reportsARefusedHandshake()
    {
        QFETCH(QByteArray, response);
        QFETCH(QString, why);
        ScriptedPeer peer;
        peer.respond = [&](const QByteArray&) { return response; };
        Recorder recorder;
        RawWsClient client(recorder, 0);
        open(client, peer.serverPort());
        QTRY_COMPARE(recorder.closed, why);
        QVERIFY(!recorder.opened);
    }

    void reportsARefusedConnect()
    {
        quint16 port = 0;
        {
            QTcpServer closed; // a port that was just free
            QVERIFY(closed.listen(QHostAddress::LocalHost));
            port = closed.serverPort();
        }
        Recorder recorder;
        RawWsClient client(recorder, 0);
        open(client, port);
        QTRY_COMPARE(recorder.closed, QStringLiteral("connect: Connection refused"));
    }

    void abortIsSilent()
    {
        WsServer server(1 << 20);
        QVERIFY(server.listen(QHostAddress::LocalHost));
        Recorder recorder;
        RawWsClient client(recorder, 0);
        open(client, server.serverPort());
        QTRY_VERIFY(recorder.opened);
        client.abort();
        QTest::qWait(50);
        QVERIFY(recorder.closed.isEmpty());
        QCOMPARE(client.state(), RawWsClient::State::Closed);
    }
};

QTEST_GUILESS_MAIN(TestRawWsClient)
#include "tst_raw_ws_client.moc"
