#pragma once

#include <array>
#include <cstdint>

namespace confab::bench {

// A log-linear latency histogram in microseconds, in the spirit of
// HdrHistogram: values below 128 get exact buckets, larger ones 64 buckets
// per power of two, so every percentile is within 1.6 % of the true value at
// a fixed 23 KiB and O(1) per record, with no allocation on the hot path.
// One per worker thread; merge() them once the threads have stopped.
class Histogram {
public:
    void record(std::int64_t micros);
    void merge(const Histogram& other);

    std::uint64_t count() const { return m_count; }
    std::int64_t max() const { return m_max; }
    double mean() const { return m_count ? double(m_sum) / double(m_count) : 0.0; }
    // The value at quantile q (0..1): the midpoint of the bucket holding it,
    // clamped to the largest value seen. 0 when empty.
    std::int64_t quantile(double q) const;

private:
    static constexpr int kExact = 128;
    static constexpr int kPerOctave = 64;
    static constexpr int kBuckets = kExact + 57 * kPerOctave;
    static int bucketOf(std::uint64_t v);
    static std::uint64_t lowerBound(int bucket);
    static std::uint64_t width(int bucket);

    std::array<std::uint64_t, kBuckets> m_buckets{};
    std::uint64_t m_count = 0;
    std::int64_t m_sum = 0;
    std::int64_t m_max = 0;
};

} // namespace confab::bench
