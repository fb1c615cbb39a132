#include "ws/ws_frame.h"

#include <QStringDecoder>

#include <cstring>

namespace confab::server::ws {
namespace {

bool isControl(quint8 opcode)
{
    return opcode & 0x8;
}

bool isKnownOpcode(quint8 opcode)
{
    switch (Opcode(opcode)) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong:
        return true;
    }
    return false;
}

FrameError protocolError(const char* why)
{
    return FrameError{close_code::ProtocolError, QByteArray(why)};
}

// Codes a peer may put in a close frame (RFC 6455 §7.4): 1000-1003,
// 1007-1011 and the application ranges; 1004-1006 and 1015 are reserved.
bool isValidCloseCode(quint16 code)
{
    if (code >= 3000 && code <= 4999)
        return true;
    return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
}

bool isValidUtf8(QByteArrayView bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString ignored = decoder.decode(bytes);
    return !decoder.hasError();
}

void unmask(char* data, qsizetype size, const quint8 key[4])
{
    quint32 key32;
    std::memcpy(&key32, key, 4);
    const quint64 key64 = (quint64(key32) << 32) | key32;
    qsizetype i = 0;
    for (; i + 8 <= size; i += 8) { // the key repeats every 4 bytes, so 8 at a time
        quint64 word;
        std::memcpy(&word, data + i, 8);
        word ^= key64;
        std::memcpy(data + i, &word, 8);
    }
    for (; i < size; ++i)
        data[i] = char(data[i] ^ key[i & 3]);
}

} // namespace

QByteArray encodeFrame(Opcode opcode, QByteArrayView payload)
{
    const qsizetype size = payload.size();
    const int header = size < 126 ? 2 : size <= 0xFFFF ? 4 : 10;
    QByteArray frame(header + size, Qt::Uninitialized);
    auto* out = reinterpret_cast<quint8*>(frame.data());
    out[0] = 0x80 | quint8(opcode); // FIN, no RSV bits
    if (size < 126) {
        out[1] = quint8(size);
    } else if (size <= 0xFFFF) {
        out[1] = 126;
        out[2] = quint8(size >> 8);
        out[3] = quint8(size);
    } else {
        out[1] = 127;
        for (int i = 0; i < 8; ++i)
            out[2 + i] = quint8(quint64(size) >> (56 - 8 * i));
    }
    if (size > 0)
        std::memcpy(out + header, payload.data(), size_t(size));
    return frame;
}

QByteArray encodeMaskedFrame(Opcode opcode, QByteArrayView payload, quint32 maskKey)
{
    QByteArray frame = encodeFrame(opcode, payload);
    const qsizetype header = frame.size() - payload.size();
    quint8 key[4] = {quint8(maskKey >> 24), quint8(maskKey >> 16), quint8(maskKey >> 8), quint8(maskKey)};
    frame[1] = char(frame[1] | 0x80);
    frame.insert(header, reinterpret_cast<const char*>(key), 4);
    unmask(frame.data() + header + 4, payload.size(), key); // XOR both ways
    return frame;
}

QByteArray encodeClose(quint16 code, QByteArrayView reason)
{
    QByteArray payload;
    payload.reserve(2 + qMin<qsizetype>(reason.size(), 123));
    payload.append(char(code >> 8)).append(char(code & 0xFF));
    QByteArrayView cut = reason.first(qMin<qsizetype>(reason.size(), 123));
    while (!cut.isEmpty() && !isValidUtf8(cut)) // never split a code point
        cut.chop(1);
    payload.append(cut);
    return encodeFrame(Opcode::Close, payload);
}

std::optional<CloseInfo> parseClosePayload(QByteArrayView payload)
{
    if (payload.isEmpty())
        return CloseInfo{};
    if (payload.size() == 1)
        return std::nullopt;
    const auto* p = reinterpret_cast<const quint8*>(payload.data());
    CloseInfo info;
    info.code = quint16((p[0] << 8) | p[1]);
    info.reason = payload.sliced(2).toByteArray();
    if (!isValidCloseCode(info.code) || !isValidUtf8(info.reason))
        return std::nullopt;
    return info;
}

FrameParser::FrameParser(qint64 maxMessageBytes, Peer from)
    : m_maxMessageBytes(maxMessageBytes)
    , m_expectMasked(from == Peer::Client)
{}

std::optional<FrameError> FrameParser::feed(QByteArrayView data, const Sink& sink)
{
    // Parse straight from the caller's bytes unless input waits here (a
    // partial frame, or frames a pause left unparsed from m_offset on).
    const bool direct = m_buffer.isEmpty();
    if (!direct && !data.isEmpty()) {
        m_buffer.remove(0, m_offset); // only when bytes arrive, not per resumption
        m_offset = 0;
        m_buffer.append(data);
    }
    if (m_paused) { // held as it is, parsed after resume()
        if (direct)
            m_buffer = data.toByteArray();
        return std::nullopt;
    }
    const QByteArrayView input = direct ? data : QByteArrayView(m_buffer).sliced(m_offset);
    qsizetype consumed = 0;
    std::optional<FrameError> error;
    while (consumed < input.size() && !m_paused) {
        qsizetype used = 0;
        error = parseOne(input.sliced(consumed), sink, used);
        if (error || used == 0)
            break;
        consumed += used;
    }
    if (error) { // nothing more will be parsed: hold nothing
        m_buffer = QByteArray();
        m_offset = 0;
        m_message = QByteArray();
    } else if (direct) {
        m_buffer = data.sliced(consumed).toByteArray();
    } else if (m_offset + consumed == m_buffer.size()) {
        m_buffer = QByteArray();
        m_offset = 0;
    } else {
        m_offset += consumed; // a paused parser resumes here, with no copy
    }
    return error;
}

std::optional<FrameError> FrameParser::parseOne(QByteArrayView in, const Sink& sink, qsizetype& used)
{
    used = 0;
    if (in.size() < 2)
        return std::nullopt;
    const auto* p = reinterpret_cast<const quint8*>(in.data());
    const bool fin = p[0] & 0x80;
    const quint8 opcode = p[0] & 0x0F;
    if (p[0] & 0x70)
        return protocolError("reserved bits set without a negotiated extension");
    if (!isKnownOpcode(opcode))
        return protocolError("unknown opcode");
    const bool masked = p[1] & 0x80;
    if (masked != m_expectMasked)
        return protocolError(m_expectMasked ? "client frames must be masked"
                                            : "server frames must not be masked");
    const bool control = isControl(opcode);
    if (control && !fin)
        return protocolError("fragmented control frame");

    quint64 length = p[1] & 0x7F;
    qsizetype header = 2;
    if (length == 126) {
        if (in.size() < 4)
            return std::nullopt;
        length = (quint64(p[2]) << 8) | p[3];
        header = 4;
    } else if (length == 127) {
        if (in.size() < 10)
            return std::nullopt;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | p[2 + i];
        if (length >> 63)
            return protocolError("frame length has its top bit set");
        header = 10;
    }
    if (control && length > 125)
        return protocolError("control frame over 125 bytes");
    if (!control) {
        const bool continuation = Opcode(opcode) == Opcode::Continuation;
        if (continuation && !m_messageOpcode)
            return protocolError("continuation frame without a message");
        if (!continuation && m_messageOpcode)
            return protocolError("new message before the previous one ended");
        // Refused from the header: the payload is never buffered.
        if (length > quint64(m_maxMessageBytes) ||
            quint64(m_message.size()) + length > quint64(m_maxMessageBytes))
            return FrameError{close_code::TooBig, QByteArrayLiteral("message too big")};
    }
    const qsizetype maskAt = header;
    if (masked)
        header += 4;
    if (in.size() < header || quint64(in.size() - header) < length)
        return std::nullopt; // wait for the rest
    quint8 key[4] = {0, 0, 0, 0};
    if (masked)
        std::memcpy(key, p + maskAt, 4);
    used = header + qsizetype(length);

    if (control) {
        QByteArray payload = in.sliced(header, qsizetype(length)).toByteArray();
        if (masked)
            unmask(payload.data(), payload.size(), key);
        sink(Opcode(opcode), std::move(payload));
        return std::nullopt;
    }
    const qsizetype at = m_message.size();
    m_message.append(in.sliced(header, qsizetype(length)));
    if (masked)
        unmask(m_message.data() + at, qsizetype(length), key);
    if (Opcode(opcode) != Opcode::Continuation)
        m_messageOpcode = Opcode(opcode);
    if (!fin)
        return std::nullopt;
    const Opcode messageOpcode = *m_messageOpcode;
    m_messageOpcode.reset();
    QByteArray message = std::move(m_message);
    m_message = QByteArray();
    sink(messageOpcode, std::move(message));
    return std::nullopt;
}

} // namespace confab::server::ws
