#pragma once

// Helpers shared by the per-algorithm balancer tests.

#include <map>
#include <memory>
#include <vector>

#include "proxy/balance/balancer.h"

namespace octane::proxy::balance::fixture {

inline std::unique_ptr<Balancer> all_up(Algorithm a, std::vector<ServerSpec> specs,
                                        bool allbackups = false,
                                        HashType hash_type = HashType::kMapBased) {
    auto b = make_balancer(a, hash_type, std::move(specs), allbackups);
    for (int i = 0; i < b->size(); ++i) {
        b->set_up(i, true);
    }
    return b;
}

inline std::unique_ptr<Balancer> round_robin(std::vector<ServerSpec> specs) {
    return all_up(Algorithm::kRoundRobin, std::move(specs));
}
inline std::unique_ptr<Balancer> least_conn(std::vector<ServerSpec> specs) {
    return all_up(Algorithm::kLeastConn, std::move(specs));
}
// `balance source` with the given hash-type (`balance hash` builds the same balancers).
inline std::unique_ptr<Balancer> hashing(HashType type, std::vector<ServerSpec> specs) {
    return all_up(Algorithm::kSource, std::move(specs), false, type);
}
inline std::unique_ptr<Balancer> first(std::vector<ServerSpec> specs) {
    return all_up(Algorithm::kFirst, std::move(specs));
}

// n picks; with `hold`, each picked server keeps a connection (as a session would).
inline std::vector<int> picks(Balancer& b, int n, bool hold = false) {
    std::vector<int> out;
    for (int i = 0; i < n; ++i) {
        auto p = b.pick({});
        out.push_back(p ? *p : -1);
        if (p && hold) {
            b.take(*p);
        }
    }
    return out;
}

inline std::map<int, int> count(const std::vector<int>& ids) {
    std::map<int, int> out;
    for (int id : ids) {
        out[id]++;
    }
    return out;
}

// The hash of the n-th of a set of client addresses (10.x.y.z).
inline uint64_t client_hash(int n) {
    uint8_t addr[4] = {10, static_cast<uint8_t>(n >> 16), static_cast<uint8_t>(n >> 8),
                       static_cast<uint8_t>(n)};
    return hash_source(addr, sizeof addr);
}

inline int pick_for(Balancer& b, uint64_t hash, int avoid = -1) {
    PickContext ctx;
    ctx.hash = hash;
    ctx.avoid = avoid;
    auto p = b.pick(ctx);
    return p ? *p : -1;
}

}  // namespace octane::proxy::balance::fixture
