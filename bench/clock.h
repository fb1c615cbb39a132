#pragma once

#include <chrono>
#include <cstdint>

namespace confab::bench {

// Microseconds on the monotonic clock. Every thread of the tool reads the
// same clock, so a send stamped on one worker and delivered on another gives
// a true send->delivery latency without any shared state.
inline std::int64_t nowMicros()
{
    using namespace std::chrono;
    return duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count();
}

} // namespace confab::bench
