// libFuzzer target: arbitrary bytes as a haproxy.cfg. The parser and validator must never crash,
// hang or throw, and every reported error must carry the file:line prefix.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "proxy/config/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);
    auto out = octane::proxy::config::parse_config({{"fuzz.cfg", text}});
    for (const auto& e : out.diag.errors()) {
        if (e.rfind("fuzz.cfg:", 0) != 0) {
            std::abort();
        }
    }
    return 0;
}
