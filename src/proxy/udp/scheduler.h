#pragma once

// Which real server a new UDP/SCTP flow goes to, as IPVS schedules it (docs/amphora.md §5):
// rr/wrr smooth weighted round robin, lc/wlc weighted least flows, sh a hash of the client
// address (with `sh-port`, address and port: SOURCE_IP_PORT), reusing the engine's balancers;
// weight 0 drains; `uthreshold` caps a server's flows. With `persistence_timeout` (Octavia's
// SOURCE_IP session persistence), a client network (the source address under
// `persistence_granularity`) keeps its server while it sends within the timeout, as IPVS's
// persistence templates. Pure: no I/O, the caller passes the clock.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "proxy/balance/balancer.h"
#include "proxy/udp/lvs_config.h"

namespace octane::proxy::udp {

// A client as the scheduler sees it: raw address bytes (4 or 16) and port.
struct ClientKey {
    std::string address;  // network-order bytes
    uint16_t port = 0;
};

class Scheduler {
  public:
    // `vs` must be valid (validated config): algorithm and granularity are taken as written.
    explicit Scheduler(const VirtualServer& vs);

    void set_up(int server, bool up);
    bool is_up(int server) const { return balancer_->is_up(server); }
    int flows(int server) const { return balancer_->conns(server); }
    int size() const { return balancer_->size(); }

    // Picks the server of a new flow and counts it; nullopt when none is eligible.
    std::optional<int> pick(const ClientKey& client, int64_t now_ms);
    // A flow taken over from a predecessor (reload) stays on its server when that server is up,
    // and is counted (and its client network persisted) as if picked; false otherwise.
    bool assign(const ClientKey& client, int server, int64_t now_ms);
    // A flow of `server` ended.
    void release(int server) { balancer_->release(server); }
    // A flow of `client` was active: its persistence lasts persistence_timeout from now.
    void touch(const ClientKey& client, int64_t now_ms);
    // Drops persistence records that expired (bounded work: called from a periodic sweep).
    void expire(int64_t now_ms);
    size_t persistence_records() const { return persistence_.size(); }

  private:
    std::string network_of(const ClientKey& client) const;
    bool has_room(int server) const;

    std::unique_ptr<balance::Balancer> balancer_;
    std::vector<int> uthreshold_;
    bool hash_port_ = false;
    bool source_hash_ = false;
    int64_t persistence_ms_ = 0;
    std::string mask4_;  // 4 bytes
    std::string mask6_;  // 16 bytes
    struct Persisted {
        int server = 0;
        int64_t expires_ms = 0;
    };
    std::map<std::string, Persisted> persistence_;
};

// The netmask of `persistence_granularity`: a dotted IPv4 mask or a prefix length, for
// `family_bytes` 4 or 16; nullopt when it is neither. Empty text = all bits.
std::optional<std::string> granularity_mask(const std::string& text, size_t family_bytes);

}  // namespace octane::proxy::udp
