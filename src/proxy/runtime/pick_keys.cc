#include "proxy/runtime/pick_keys.h"

#include "proxy/config/sample_expr.h"

namespace octane::proxy {

namespace {
uint64_t hash_text(const std::string& text) {
    return balance::hash_source(reinterpret_cast<const uint8_t*>(text.data()), text.size());
}
}  // namespace

PickKeys pick_keys(const config::ProxySection& backend, bool has_stick_table, const Endpoint& peer,
                   int avoid) {
    PickKeys k;
    k.ctx.avoid = avoid;
    bool hash = backend.balance == balance::Algorithm::kHash;
    bool source = backend.balance == balance::Algorithm::kSource;
    if (!hash && !source && !has_stick_table) {
        return k;
    }
    k.src = peer.host_string();
    k.sticky = has_stick_table;
    if (hash) {
        k.ctx.hash = hash_text(config::eval_sample(backend.balance_hash, backend.set_vars,
                                                   config::SampleInput{k.src, peer.port()}));
    } else if (source) {
        k.ctx.hash = hash_text(k.src);
    }
    return k;
}

}  // namespace octane::proxy
