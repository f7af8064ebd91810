// libFuzzer target: a peers session must never crash, hang or grow without bound on any bytes a
// peer sends. The first byte picks the side (accepting: the input starts with a hello;
// connecting: with a status line) and how the rest is split into reads.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proxy/peers/session.h"

using namespace octane::proxy::peers;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0) {
        return 0;
    }
    TableDefinition t;
    t.id = 1;
    t.name = "pool";
    t.data_types = (1ULL << kDataServerId) | (1ULL << kDataServerKey);
    std::vector<TableDefinition> defs{t};
    bool accept = data[0] & 1;
    size_t chunk = 1 + (data[0] >> 1);
    Session s(accept ? Session::Side::kAccept : Session::Side::kConnect, {"me", {"you"}, &defs, 1},
              "you");
    std::string_view in(reinterpret_cast<const char*>(data + 1), size - 1);
    std::vector<SessionEvent> events;
    while (!in.empty() && !s.closed()) {
        size_t n = std::min(chunk, in.size());
        s.feed(in.substr(0, n), events);
        in.remove_prefix(n);
        s.out().clear();
    }
    // Decoders alone, on the raw bytes.
    std::string_view raw(reinterpret_cast<const char*>(data), size);
    (void)decode_define(raw);
    DictCache dict;
    (void)decode_update(kUpdateTimed, raw, t, dict);
    (void)decode_ack(raw);
    return 0;
}
