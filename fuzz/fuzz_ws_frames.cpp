// libFuzzer target: the bytes a client sends before and after its upgrade.
// The input's first byte picks how the rest is cut into reads (parsers must
// not depend on where reads end); the rest is fed to the handshake parser,
// then to the frame parser from either side. Invariants checked: a refused
// handshake has a response, nothing delivered is over the size limit, a
// parser holds no more than one frame's header plus the limit.
#include "ws/ws_frame.h"
#include "ws/ws_handshake.h"

#include <cstdint>
#include <cstdlib>

using namespace confab::server::ws;

namespace {
constexpr qint64 kLimit = 4096;

void check(bool ok)
{
    if (!ok)
        std::abort(); // libFuzzer reports it as a crash with the input
}

void feedInChunks(FrameParser& parser, QByteArrayView bytes, qsizetype chunk)
{
    const auto sink = [](Opcode opcode, const QByteArray& payload) {
        check(payload.size() <= kLimit);
        check(opcode != Opcode::Continuation);
        if (opcode == Opcode::Close)
            (void)parseClosePayload(payload);
    };
    for (qsizetype at = 0; at < bytes.size(); at += chunk) {
        if (parser.feed(bytes.sliced(at, qMin(chunk, bytes.size() - at)), sink))
            return; // an error ends the stream, as it closes the connection
        check(parser.bufferedBytes() <= kLimit + 14);
    }
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    const qsizetype chunk = 1 + data[0] % 64;
    const QByteArrayView bytes(reinterpret_cast<const char*>(data) + 1, qsizetype(size) - 1);

    const HandshakeOutcome outcome = parseHandshake(bytes);
    switch (outcome.state) {
    case HandshakeOutcome::State::Refused:
        check(outcome.response.startsWith("HTTP/1.1 4"));
        break;
    case HandshakeOutcome::State::Accepted:
        check(outcome.consumed > 0 && outcome.consumed <= bytes.size());
        check(outcome.response.startsWith("HTTP/1.1 101 "));
        (void)outcome.request.url();
        break;
    case HandshakeOutcome::State::Incomplete:
        check(bytes.size() <= kMaxHandshakeBytes);
        break;
    }
    FrameParser fromClient(kLimit, FrameParser::Peer::Client);
    feedInChunks(fromClient, bytes, chunk);
    FrameParser fromServer(kLimit, FrameParser::Peer::Server);
    feedInChunks(fromServer, bytes, chunk);
    return 0;
}
