// libFuzzer target: arbitrary bytes as a keepalived LVS file (octane-proxy --lvs). The parser and
// the address resolution must never crash, hang or throw, and every error must carry the
// file:line prefix.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "proxy/udp/lvs_config.h"
#include "proxy/udp/udp_engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto out = octane::proxy::udp::parse_lvs_config(text, "fuzz.cfg");
    for (const auto& e : out.errors) {
        if (e.rfind("fuzz.cfg:", 0) != 0) {
            std::abort();
        }
    }
    if (out.errors.empty()) {
        auto resolved = octane::proxy::udp::resolve(out.config, "fuzz.cfg");
        if (!resolved && resolved.error().message.rfind("fuzz.cfg:", 0) != 0) {
            std::abort();
        }
    }
    return 0;
}
