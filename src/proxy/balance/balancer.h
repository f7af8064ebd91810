#pragma once

// Server selection, pure and event-driven (HAProxy's lb_ops contract): the algorithm is told
// about up/down, weight and connection take/drop, and keeps its own eligible set current, so a
// pick never rescans server state. No I/O, no locks: the caller (one backend) serialises calls.
//
// Eligibility, common to all algorithms (HAProxy semantics): a server is eligible when it is up
// and has weight > 0 (weight 0 = drain). Backup servers are used only when no active server is
// eligible: then the first eligible backup in declaration order, or all eligible backups with
// `option allbackups`.

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace octane::proxy::balance {

enum class Algorithm { kRoundRobin, kLeastConn, kSource, kSourceConsistent, kFirst };

struct ServerSpec {
    int weight = 1;
    bool backup = false;
    int maxconn = 0;  // used by `first`; 0 = unlimited
};

struct PickContext {
    uint64_t hash = 0;  // key hash for `balance source` / `balance hash` (runtime/pick_keys.h)
    int avoid = -1;     // server index to avoid (retry/redispatch), -1 = none
};

class Balancer {
  public:
    virtual ~Balancer() = default;

    // Hooks; `id` indexes the ServerSpec vector given at construction.
    void set_up(int id, bool up);
    virtual void take(int id) { conns_[id]++; }
    virtual void drop(int id) {
        if (conns_[id] > 0) {
            conns_[id]--;
        }
    }

    // Picks an eligible server, or nullopt when none is. Honors ctx.avoid when another eligible
    // server exists.
    virtual std::optional<int> pick(const PickContext& ctx) = 0;

    bool is_up(int id) const { return up_[id]; }
    int weight(int id) const { return weight_[id]; }
    int conns(int id) const { return conns_[id]; }
    // Servers currently eligible (active ones, or the backup set when no active is eligible).
    const std::vector<int>& eligible() const { return eligible_; }
    int size() const { return static_cast<int>(specs_.size()); }

  protected:
    Balancer(std::vector<ServerSpec> specs, bool allbackups);
    // Called after eligible_ changed.
    virtual void on_eligible_changed() {}

    std::vector<ServerSpec> specs_;
    std::vector<bool> up_;
    std::vector<int> weight_;
    std::vector<int> conns_;
    std::vector<int> eligible_;

  private:
    void recompute();
    bool allbackups_;
};

// Servers start DOWN; the owner calls set_up() for each live one.
std::unique_ptr<Balancer> make_balancer(Algorithm algo, std::vector<ServerSpec> specs,
                                        bool allbackups);

// The hash `balance source` uses for an address (bytes of the IPv4/IPv6 address).
uint64_t hash_source(const uint8_t* addr, size_t len);

}  // namespace octane::proxy::balance
