#include "proxy/balance/balancer.h"

#include "proxy/balance/first.h"
#include "proxy/balance/least_conn.h"
#include "proxy/balance/round_robin.h"
#include "proxy/balance/source_hash.h"

namespace octane::proxy::balance {

Balancer::Balancer(std::vector<ServerSpec> specs, bool allbackups)
    : specs_(std::move(specs)),
      up_(specs_.size(), false),
      weight_(specs_.size(), 0),
      conns_(specs_.size(), 0),
      allbackups_(allbackups) {
    for (size_t i = 0; i < specs_.size(); ++i) {
        weight_[i] = specs_[i].weight;
    }
}

void Balancer::set_up(int id, bool up) {
    if (up_[id] == up) {
        return;
    }
    up_[id] = up;
    recompute();
}

void Balancer::recompute() {
    eligible_.clear();
    for (size_t i = 0; i < specs_.size(); ++i) {
        if (!specs_[i].backup && up_[i] && weight_[i] > 0) {
            eligible_.push_back(static_cast<int>(i));
        }
    }
    if (eligible_.empty()) {
        for (size_t i = 0; i < specs_.size(); ++i) {
            if (specs_[i].backup && up_[i] && weight_[i] > 0) {
                eligible_.push_back(static_cast<int>(i));
                if (!allbackups_) {
                    break;
                }
            }
        }
    }
    on_eligible_changed();
}

std::unique_ptr<Balancer> make_balancer(Algorithm algo, std::vector<ServerSpec> specs,
                                        bool allbackups) {
    switch (algo) {
        case Algorithm::kRoundRobin:
            return std::make_unique<RoundRobin>(std::move(specs), allbackups);
        case Algorithm::kLeastConn:
            return std::make_unique<LeastConn>(std::move(specs), allbackups);
        case Algorithm::kSource:
            return std::make_unique<SourceHash>(std::move(specs), allbackups, false);
        case Algorithm::kSourceConsistent:
            return std::make_unique<SourceHash>(std::move(specs), allbackups, true);
        case Algorithm::kFirst:
            return std::make_unique<First>(std::move(specs), allbackups);
    }
    return nullptr;
}

uint64_t hash_source(const uint8_t* addr, size_t len) {
    // FNV-1a then a 64-bit finalizer: cheap, and spreads adjacent client addresses.
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; ++i) {
        h ^= addr[i];
        h *= 1099511628211ULL;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

}  // namespace octane::proxy::balance
