#include "histogram.h"

#include <algorithm>
#include <cmath>

namespace confab::bench {

int Histogram::bucketOf(std::uint64_t v)
{
    if (v < kExact)
        return int(v);
    const int msb = 63 - __builtin_clzll(v);
    const int shift = msb - 6; // keeps the top 7 bits: 64..127
    return kExact + (shift - 1) * kPerOctave + int((v >> shift) - kPerOctave);
}

std::uint64_t Histogram::lowerBound(int bucket)
{
    if (bucket < kExact)
        return std::uint64_t(bucket);
    const int shift = (bucket - kExact) / kPerOctave + 1;
    const std::uint64_t top = std::uint64_t((bucket - kExact) % kPerOctave + kPerOctave);
    return top << shift;
}

std::uint64_t Histogram::width(int bucket)
{
    return bucket < kExact ? 1 : std::uint64_t(1) << ((bucket - kExact) / kPerOctave + 1);
}

void Histogram::record(std::int64_t micros)
{
    const std::uint64_t v = micros < 0 ? 0 : std::uint64_t(micros);
    ++m_buckets[std::min(bucketOf(v), kBuckets - 1)];
    ++m_count;
    m_sum += std::int64_t(v);
    m_max = std::max(m_max, std::int64_t(v));
}

void Histogram::merge(const Histogram& other)
{
    for (int i = 0; i < kBuckets; ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_max = std::max(m_max, other.m_max);
}

std::int64_t Histogram::quantile(double q) const
{
    if (m_count == 0)
        return 0;
    // The rank of the q-th sample, 1-based: p99 of 1000 samples is the 990th.
    const auto rank = std::max<std::uint64_t>(1, std::uint64_t(std::ceil(q * double(m_count))));
    std::uint64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
        seen += m_buckets[i];
        if (seen >= rank) {
            const std::uint64_t mid = lowerBound(i) + (width(i) - 1) / 2;
            return std::min<std::int64_t>(std::int64_t(mid), m_max);
        }
    }
    return m_max;
}

} // namespace confab::bench
