#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

#include <optional>

// The binary frames of Files (issue 16, docs/protocol.md "Binary frames"):
// each is one chunk of one file, a 17-byte header then the data. Pure and
// allocation-free to decode (the data is a view into the frame), so the
// server and the client share it and the fuzzer can drive it directly.
namespace confab::filechunk {

enum class Kind : quint8 { Upload = 1, Download = 2 };

inline constexpr qsizetype kHeaderBytes = 17;

struct Chunk {
    Kind kind = Kind::Upload;
    quint64 fileId = 0;
    quint64 offset = 0;
    QByteArrayView data; // into the decoded frame: 1..limits::kFileChunkBytes bytes
};

// The frame's payload for `data` (1..kFileChunkBytes bytes: the caller's rule).
QByteArray encode(Kind kind, quint64 fileId, quint64 offset, QByteArrayView data);
// The chunk, or nullopt when `frame` is not one: shorter than 18 bytes, a
// kind other than 1 or 2, or more data than limits::kFileChunkBytes. A
// chunk whose offset + data length overflows 64 bits is refused too.
std::optional<Chunk> decode(QByteArrayView frame);

} // namespace confab::filechunk
