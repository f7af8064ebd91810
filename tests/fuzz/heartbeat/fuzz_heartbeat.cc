// libFuzzer target: decode_heartbeat() must never crash, hang or throw on any datagram. The first
// input byte picks the key (empty or the seed corpus' key) so both HMAC paths get exercised; a
// second pass re-seals the bytes with a valid digest so the zlib and JSON stages are reached too.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "wire/heartbeat_envelope.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    std::string_view key = (size > 0 && (data[0] & 1)) ? "insecure" : "";
    (void)octane::wire::decode_heartbeat(input, key);

    // Treat the input as a payload: compress + sign it, then decode (reaches JSON parsing).
    std::string sealed = octane::wire::seal_envelope(input, key);
    auto decoded = octane::wire::decode_heartbeat(sealed, key);
    if (decoded) {
        std::string again = octane::wire::encode_heartbeat(*decoded, key);
        (void)octane::wire::decode_heartbeat(again, key);
    }
    return 0;
}
