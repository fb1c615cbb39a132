// libFuzzer target: one datagram, as anyone on the LAN may send to the mDNS
// responder or the browser. Invariants: parsing never crashes; what parses
// re-encodes, and the encoding parses back to the same message (unless the
// re-encoding is larger than a packet: pointers into unknown record data
// cannot be reproduced); answering and reading sightings never crash.
#include "discovery/dns_message.h"
#include "discovery/dns_sd.h"

#include <cstdint>
#include <cstdlib>

using namespace confab::discovery;

namespace {
void check(bool ok)
{
    if (!ok)
        std::abort(); // libFuzzer reports it as a crash with the input
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray datagram(reinterpret_cast<const char*>(data), qsizetype(size));
    const auto parsed = parseDnsMessage(datagram);
    if (!parsed)
        return 0;
    const auto encoded = encodeDnsMessage(parsed.value());
    check(encoded.ok());
    if (encoded->size() <= kMaxMessageBytes) {
        const auto again = parseDnsMessage(encoded.value());
        check(again.ok());
        check(again->id == parsed->id && again->flags == parsed->flags);
        check(again->questions == parsed->questions && again->answers == parsed->answers &&
              again->authorities == parsed->authorities && again->additionals == parsed->additionals);
    }
    ServiceInstance instance;
    instance.instanceLabel = "x";
    instance.hostLabel = "h";
    instance.port = 1;
    if (const auto response = responseTo(parsed.value(), instance, QByteArray("\x0a\x00\x00\x01", 4)))
        check(encodeDnsMessage(legacyUnicastReply(*response, parsed.value())).ok());
    (void)sightingsIn(parsed.value());
    return 0;
}
