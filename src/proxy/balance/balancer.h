#pragma once

// Server selection, pure and event-driven (HAProxy's lbprm): the balancer is told about up/down,
// weight changes and connection take/release, and each algorithm keeps its own structure current
// through a small ops table (add/remove/reweight/took/released/choose), so a pick never rescans
// the servers. No I/O, no locks: the caller (one backend) serialises calls.
//
// Eligibility, common to all algorithms (HAProxy semantics): a server is eligible when it is up
// and has weight > 0 (weight 0 = drain). Servers form two groups, active and backup; backups are
// used only when no active server is eligible: then the first eligible backup in declaration
// order, or all eligible backups with `option allbackups`. Only the servers in use are in the
// algorithm's structure of their group.

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "proxy/balance/algorithm.h"

namespace octane::proxy::balance {

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
    // Algorithms keep pointers into their own members (heap comparators): never copied.
    Balancer(const Balancer&) = delete;
    Balancer& operator=(const Balancer&) = delete;

    // Events; `id` indexes the ServerSpec vector given at construction.
    void set_up(int id, bool up);
    // `set weight`, drain (0) and back.
    void set_weight(int id, int weight);
    void take(int id);
    void release(int id);

    // Picks a server in use, or nullopt when none is. Honors ctx.avoid when another server in
    // use can take the connection.
    std::optional<int> pick(const PickContext& ctx);

    bool is_up(int id) const { return up_[id]; }
    int weight(int id) const { return weight_[id]; }
    int conns(int id) const { return conns_[id]; }
    int maxconn(int id) const { return specs_[id].maxconn; }
    int size() const { return static_cast<int>(specs_.size()); }
    // Whether the server is in its algorithm's structure (eligible, and its group is in use or
    // may become so).
    bool in_use(int id) const { return in_use_[id]; }

  protected:
    Balancer(std::vector<ServerSpec> specs, bool allbackups);

    static constexpr int kActive = 0;
    static constexpr int kBackup = 1;
    int group_of(int id) const { return specs_[id].backup ? kBackup : kActive; }

    // The ops table of an algorithm (HAProxy's lb_* files). add/remove: a server enters or
    // leaves the structure of its group; reweight: its weight changed while in it; took/released:
    // its connection count (already updated) changed while in it; choose: a server of a
    // non-empty group.
    virtual void add(int id) = 0;
    virtual void remove(int id) = 0;
    virtual void reweight(int id, int old_weight) {
        (void)old_weight;
        remove(id);
        add(id);
    }
    virtual void took(int id) { (void)id; }
    virtual void released(int id) { (void)id; }
    virtual int choose(int group, const PickContext& ctx) = 0;

  private:
    bool eligible(int id) const { return up_[id] && weight_[id] > 0; }
    void enter(int id);
    void leave(int id);
    // The server enters / leaves its algorithm's structure and the count of its group.
    void use(int id);
    void unuse(int id);
    // A backup's eligibility changed: with one backup in use, the first eligible one is.
    void backups_changed();

    std::vector<ServerSpec> specs_;
    std::vector<bool> up_;
    std::vector<int> weight_;
    std::vector<int> conns_;
    std::vector<bool> in_use_;
    int in_group_[2] = {0, 0};
    std::set<int> eligible_backups_;
    int first_backup_ = -1;  // the backup in use without allbackups, -1 = none
    bool allbackups_;
};

// Servers start DOWN; the owner calls set_up() for each live one.
std::unique_ptr<Balancer> make_balancer(Algorithm algo, HashType hash_type,
                                        std::vector<ServerSpec> specs, bool allbackups);

// The hash `balance source` uses for an address (bytes of the IPv4/IPv6 address).
uint64_t hash_source(const uint8_t* addr, size_t len);

}  // namespace octane::proxy::balance
