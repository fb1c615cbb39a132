#pragma once

// RFC 6455 framing for the server side: frames we send are unmasked and never
// fragmented; frames we receive must be masked and may be fragmented. Pure
// code, no I/O, so that it can be tested and fuzzed on its own.

#include <QByteArray>
#include <QByteArrayView>

#include <functional>
#include <optional>

namespace confab::server::ws {

enum class Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

// Close codes (RFC 6455 §7.4.1) the server sends.
namespace close_code {
constexpr quint16 Normal = 1000;
constexpr quint16 GoingAway = 1001;
constexpr quint16 ProtocolError = 1002;
constexpr quint16 NoStatus = 1005; // never sent: "the close frame had no code"
constexpr quint16 InvalidPayload = 1007;
constexpr quint16 PolicyViolated = 1008;
constexpr quint16 TooBig = 1009;
} // namespace close_code

// One complete, final, unmasked frame. The whole event is framed once and the
// same bytes are queued to every recipient.
QByteArray encodeFrame(Opcode opcode, QByteArrayView payload);
// A close frame: the code, then at most 123 bytes of UTF-8 reason.
QByteArray encodeClose(quint16 code, QByteArrayView reason);
// A frame as a client must send it: masked with `maskKey` (RFC 6455 §5.3;
// clients such as the load tool pick a fresh key per frame).
QByteArray encodeMaskedFrame(Opcode opcode, QByteArrayView payload, quint32 maskKey);

// The code and reason of a received close frame's payload; nullopt when the
// payload itself is malformed (one byte, a reserved code, a bad reason).
struct CloseInfo {
    quint16 code = close_code::NoStatus;
    QByteArray reason;
};
std::optional<CloseInfo> parseClosePayload(QByteArrayView payload);

// Why a peer's byte stream was refused: the connection is closed with `code`.
struct FrameError {
    quint16 code;
    QByteArray reason;
};

// Incremental parser of a client's frames. Data messages are reassembled
// from their fragments; control frames (which may arrive between fragments)
// are delivered at once. A frame or message over the size limit is refused
// from its header, before its payload is buffered.
class FrameParser {
public:
    // opcode is Text, Binary, Close, Ping or Pong; payload is unmasked.
    using Sink = std::function<void(Opcode opcode, QByteArray payload)>;

    // Which end parses: a server requires masked frames, a client (the load
    // tool) unmasked ones.
    enum class Peer { Client, Server };

    explicit FrameParser(qint64 maxMessageBytes, Peer from = Peer::Client);

    // Parses what `data` completes. Stops at the first error and returns it;
    // the parser must not be fed again after an error. The sink may be
    // called several times per call.
    std::optional<FrameError> feed(QByteArrayView data, const Sink& sink);
    // The limit for frames and messages whose header is parsed from now on
    // (a signed-in connection may send a larger set_avatar than a stranger).
    void setMaxMessageBytes(qint64 bytes) { m_maxMessageBytes = bytes; }
    qint64 maxMessageBytes() const { return m_maxMessageBytes; }

    // Backpressure: while paused, feed() keeps what it is given and delivers
    // nothing; a sink may pause the parser, and then the frames after the
    // current one stay unparsed. After resume(), feed({}) goes on with them.
    void pause() { m_paused = true; }
    void resume() { m_paused = false; }
    bool isPaused() const { return m_paused; }

    // Bytes held: an incomplete frame or message, and input not yet parsed.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_offset + m_message.size(); }
    // Input is held that may complete frames (what feed({}) would parse).
    bool hasUnparsedInput() const { return m_offset < m_buffer.size(); }

private:
    // Parses the frame at the start of `in`; used = 0 when it is incomplete.
    std::optional<FrameError> parseOne(QByteArrayView in, const Sink& sink, qsizetype& used);

    qint64 m_maxMessageBytes;
    bool m_expectMasked;
    QByteArray m_buffer;    // the start of a frame whose rest has not arrived, or frames held by a pause
    qsizetype m_offset = 0; // into m_buffer: what is parsed already
    QByteArray m_message;   // the data message being reassembled
    std::optional<Opcode> m_messageOpcode;
    bool m_paused = false;
};

} // namespace confab::server::ws
