// Built when clang, bpftool or libbpf were missing at configure time: the engine copies.
#include "proxy/sockmap/sockmap.h"

namespace octane::proxy {

std::unique_ptr<Sockmap> Sockmap::load(uint32_t, uint32_t, std::string* why) {
    *why = "this build has no BPF program (clang, bpftool or libbpf-dev missing at build time)";
    return nullptr;
}

}  // namespace octane::proxy
