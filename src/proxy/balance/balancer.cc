#include "proxy/balance/balancer.h"

#include "proxy/balance/consistent_hash.h"
#include "proxy/balance/first.h"
#include "proxy/balance/least_conn.h"
#include "proxy/balance/map_hash.h"
#include "proxy/balance/round_robin.h"

namespace octane::proxy::balance {

Balancer::Balancer(std::vector<ServerSpec> specs, bool allbackups)
    : specs_(std::move(specs)),
      up_(specs_.size(), false),
      weight_(specs_.size(), 0),
      conns_(specs_.size(), 0),
      in_use_(specs_.size(), false),
      allbackups_(allbackups) {
    for (size_t i = 0; i < specs_.size(); ++i) {
        weight_[i] = specs_[i].weight;
    }
}

void Balancer::set_up(int id, bool up) {
    if (up_[id] == up) {
        return;
    }
    bool was = eligible(id);
    up_[id] = up;
    if (was != eligible(id)) {
        was ? leave(id) : enter(id);
    }
}

void Balancer::set_weight(int id, int weight) {
    int old = weight_[id];
    if (old == weight) {
        return;
    }
    bool was = eligible(id);
    weight_[id] = weight;
    if (was != eligible(id)) {
        was ? leave(id) : enter(id);
    } else if (in_use_[id]) {
        reweight(id, old);
    }
}

void Balancer::take(int id) {
    conns_[id]++;
    if (in_use_[id]) {
        took(id);
    }
}

void Balancer::release(int id) {
    if (conns_[id] == 0) {
        return;
    }
    conns_[id]--;
    if (in_use_[id]) {
        released(id);
    }
}

std::optional<int> Balancer::pick(const PickContext& ctx) {
    int group = in_group_[kActive] > 0 ? kActive : kBackup;
    if (in_group_[group] == 0) {
        return std::nullopt;
    }
    int id = choose(group, ctx);
    if (id < 0) {
        return std::nullopt;
    }
    return id;
}

// Called when the server became eligible (enter) or stopped being (leave).
void Balancer::enter(int id) {
    if (specs_[id].backup) {
        eligible_backups_.insert(id);
        if (!allbackups_) {
            backups_changed();
            return;
        }
    }
    use(id);
}

void Balancer::leave(int id) {
    if (specs_[id].backup) {
        eligible_backups_.erase(id);
        if (!allbackups_) {
            backups_changed();
            return;
        }
    }
    unuse(id);
}

void Balancer::use(int id) {
    in_use_[id] = true;
    in_group_[group_of(id)]++;
    add(id);
}

void Balancer::unuse(int id) {
    remove(id);
    in_use_[id] = false;
    in_group_[group_of(id)]--;
}

void Balancer::backups_changed() {
    int first = eligible_backups_.empty() ? -1 : *eligible_backups_.begin();
    if (first == first_backup_) {
        return;
    }
    if (first_backup_ >= 0) {
        unuse(first_backup_);
    }
    first_backup_ = first;
    if (first >= 0) {
        use(first);
    }
}

std::unique_ptr<Balancer> make_balancer(Algorithm algo, HashType hash_type,
                                        std::vector<ServerSpec> specs, bool allbackups) {
    switch (algo) {
        case Algorithm::kRoundRobin:
            return std::make_unique<RoundRobin>(std::move(specs), allbackups);
        case Algorithm::kLeastConn:
            return std::make_unique<LeastConn>(std::move(specs), allbackups);
        case Algorithm::kSource:
        case Algorithm::kHash:
            if (hash_type == HashType::kConsistent) {
                return std::make_unique<ConsistentHash>(std::move(specs), allbackups);
            }
            return std::make_unique<MapHash>(std::move(specs), allbackups);
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
