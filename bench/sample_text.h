#pragma once

#include <QByteArray>

namespace confab::bench {

// What the sent messages say (--text).
enum class TextKind {
    // "bench " and then 'x' up to the size: what every figure before
    // 2026-12-08 used. Its trigrams are only seven, one of them ("xxx") at
    // 112 positions in every message, which no office writes and which makes
    // FTS5's merges of that one term grow with the whole index.
    Filler,
    // Chat-like text: words drawn with a Zipf-like skew from a fixed
    // vocabulary, about a third of messages in Chinese, so that the search
    // index has the many distinct terms of real conversation.
    Words,
};

// Deterministic text of about `bytes` UTF-8 bytes (never more), the same for
// the same `seed`. JSON-safe: letters, digits, spaces and CJK only.
QByteArray sampleText(TextKind kind, quint32 seed, int bytes);

} // namespace confab::bench
