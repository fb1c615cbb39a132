// libFuzzer target: whole frames through a real server. A ChatServer runs in
// this process on a loopback port with a real SQLite file; two clients are
// connected over TCP, one signed in (a member of a group and a DM), one not.
// Each input line is one text frame: its first byte picks the client, the
// rest is the frame's payload, sent masked as a real client would. Then the
// server runs until its store is idle. The server must not crash (ASan and
// UBSan watch every access) and must keep serving: after every input a new
// signed-in connection still gets its pong.
#include "chat_server.h"
#include "password_hasher.h"
#include "store/sqlite_store.h"
#include "ws/ws_frame.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QLoggingCategory>
#include <QTemporaryDir>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace confab;
using namespace confab::server;

namespace {

const char* const kToken = "fuzz-token-0123456789abcdef0123456789abcdef";

struct World {
    QTemporaryDir dir;
    std::unique_ptr<ChatServer> server;
    int clients[2] = {-1, -1}; // 0: signed in with kToken; 1: anonymous
    bool verbose = qEnvironmentVariableIsSet("CONFAB_FUZZ_VERBOSE");
};
World* g_world = nullptr;

void check(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_dispatcher: %s\n", what);
        std::abort();
    }
}

void settle(int rounds = 3)
{
    for (int i = 0; i < rounds; ++i) {
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        // A barrier: every store job queued so far has run once this returns.
        g_world->server->hub()->executor().runBlocking<int>([](Store&) { return 0; });
        QCoreApplication::processEvents(QEventLoop::AllEvents);
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    }
}

// Everything the server sent so far (non-blocking; the fuzzer ignores it).
QByteArray drain(int fd)
{
    QByteArray all;
    char buffer[65536];
    for (ssize_t n; (n = ::recv(fd, buffer, sizeof buffer, MSG_DONTWAIT)) > 0;)
        all.append(buffer, n);
    return all;
}

void sendAll(int fd, const QByteArray& bytes)
{
    qsizetype at = 0;
    while (at < bytes.size()) {
        const ssize_t n =
            ::send(fd, bytes.constData() + at, size_t(bytes.size() - at), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n > 0) {
            at += n;
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            settle(1); // let the server read
            continue;
        }
        return; // closed by the server (a protocol error): reopened next input
    }
}

int connectClient(bool signedIn)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(g_world->server->port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    check(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0, "connect");
    QByteArray head = "GET /" + QByteArray(signedIn ? "?token=" : "") + (signedIn ? kToken : "") +
                      " HTTP/1.1\r\nHost: fuzz\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
    sendAll(fd, head);
    settle();
    check(drain(fd).startsWith("HTTP/1.1 101 "), "handshake refused");
    return fd;
}

bool isOpen(int fd)
{
    char byte;
    const ssize_t n = ::recv(fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
    return n > 0 || (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

void seed(const QString& path)
{
    SqliteStore store(path);
    check(store.open().ok(), "open seed store");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto me = store.createUser(QStringLiteral("fuzzer"), QStringLiteral("Fuzzer"), "$argon2id$none", now);
    auto mei = store.createUser(QStringLiteral("mei"), QStringLiteral("梅"), "$argon2id$none", now);
    check(me.ok() && mei.ok(), "seed users");
    check(store.insertToken(tokenHash(QString::fromLatin1(kToken)), me->id, now, now + 86'400'000).ok(),
          "seed token");
    check(store.createGroup(QStringLiteral("general"), me->id, {me->id, mei->id}, now).ok(), "seed group");
    check(store.openDm(me->id, mei->id, now).ok(), "seed dm");
    // Messages for the lifecycle requests to work on (ids 1 and 2, the second mei's).
    check(store.insertMessage({1, me->id, QStringLiteral("hello 会议 @mei"), QStringLiteral("seed-1"), {}, {}, now}).ok(),
          "seed message");
    check(store.insertMessage({1, mei->id, QStringLiteral("reply"), QStringLiteral("seed-2"), {}, Id(1), now}).ok(),
          "seed reply");
    store.close();
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv)
{
    static QCoreApplication app(*argc, *argv);
    QLoggingCategory::setFilterRules(QStringLiteral("confab.*=false")); // errors are expected here
    check(initCrypto(), "libsodium");
    g_world = new World;
    const QString path = g_world->dir.filePath(QStringLiteral("fuzz.db"));
    seed(path);
    ServerConfig config;
    config.port = 0;
    config.databaseUrl = QStringLiteral("sqlite:") + path;
    config.sendRatePerSecond = 1e6; // the limiter is not what is being fuzzed
    config.sendBurst = 1'000'000;
    config.hashThreads = 1;
    config.maxFrameBytes = 64 * 1024;
    g_world->server = std::make_unique<ChatServer>(config);
    check(g_world->server->start().ok(), "server start");
    // Registered after the application object exists, so it runs before that
    // is destroyed: the server's threads (store, reader, hashing) must stop
    // while Qt is still alive, or exit races them (a crash after the last input).
    std::atexit([] {
        for (int fd : g_world->clients) {
            if (fd >= 0)
                ::close(fd);
        }
        g_world->server->stop();
        delete g_world;
        g_world = nullptr;
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    for (int i = 0; i < 2; ++i) {
        if (g_world->clients[i] < 0 || !isOpen(g_world->clients[i])) {
            if (g_world->clients[i] >= 0)
                ::close(g_world->clients[i]);
            g_world->clients[i] = connectClient(i == 0);
        }
    }
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    quint32 key = 0x5eed;
    for (const QByteArray& line : input.split('\n')) {
        if (line.isEmpty())
            continue;
        const int client = line[0] & 1;
        // '~' sends the rest as raw bytes: a frame the client built itself.
        const QByteArray bytes = line.size() > 1 && line[1] == '~'
                                     ? line.mid(2)
                                     : ws::encodeMaskedFrame(ws::Opcode::Text, line.mid(1), key++);
        sendAll(g_world->clients[client], bytes);
    }
    settle();
    for (int i = 0; i < 2; ++i) {
        const QByteArray replies = drain(g_world->clients[i]);
        if (g_world->verbose) // CONFAB_FUZZ_VERBOSE=1: what the server answered, for writing seeds
            std::fprintf(stderr, "client %d <- %s\n", i, replies.constData());
    }

    // Still serving: a fresh connection with the token gets its pong.
    const int probe = connectClient(true);
    sendAll(probe,
            ws::encodeMaskedFrame(ws::Opcode::Text, R"({"type":"ping","id":"probe","payload":{}})", 7));
    settle();
    check(drain(probe).contains(R"("id":"probe")"), "no pong after the input: the server stopped serving");
    ::close(probe);
    return 0;
}
