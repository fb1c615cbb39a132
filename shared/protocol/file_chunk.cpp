#include "protocol/file_chunk.h"

#include "protocol/limits.h"

#include <QtEndian>

namespace confab::filechunk {

QByteArray encode(Kind kind, quint64 fileId, quint64 offset, QByteArrayView data)
{
    QByteArray frame(kHeaderBytes + data.size(), Qt::Uninitialized);
    uchar* out = reinterpret_cast<uchar*>(frame.data());
    out[0] = uchar(kind);
    qToBigEndian(fileId, out + 1);
    qToBigEndian(offset, out + 9);
    if (!data.isEmpty())
        memcpy(out + kHeaderBytes, data.data(), size_t(data.size()));
    return frame;
}

std::optional<Chunk> decode(QByteArrayView frame)
{
    if (frame.size() <= kHeaderBytes || frame.size() - kHeaderBytes > limits::kFileChunkBytes)
        return std::nullopt;
    const uchar* in = reinterpret_cast<const uchar*>(frame.data());
    if (in[0] != uchar(Kind::Upload) && in[0] != uchar(Kind::Download))
        return std::nullopt;
    Chunk chunk;
    chunk.kind = Kind(in[0]);
    chunk.fileId = qFromBigEndian<quint64>(in + 1);
    chunk.offset = qFromBigEndian<quint64>(in + 9);
    chunk.data = frame.sliced(kHeaderBytes);
    if (chunk.offset > ~quint64(0) - quint64(chunk.data.size()))
        return std::nullopt;
    return chunk;
}

} // namespace confab::filechunk
