#pragma once

// Which amphora on a disabled compute host is failed over next (Octavia's operators drain a
// compute host the same way: one load balancer at a time, each through the failover flow). Pure.
//
// - Nothing while any failover is being carried out: one load balancer at a time, so a drain never
//   takes more than one load balancer's VIP down at once and never floods the workers.
// - Only amphorae whose load balancer is ACTIVE (one in PENDING_* is being worked on; ERROR waits
//   for an operator), and only when an enabled host is left for the replacement: for a pair under
//   hard anti-affinity, one not holding the peer, else the drain would turn a healthy pair into
//   ERROR (soft or no anti-affinity: any enabled host).
// - BACKUPs before the others: replacing a BACKUP never moves the VIP, so the pairs whose BACKUP
//   was on the host are whole again before any MASTER's VIP has to move.

#include <optional>
#include <string>
#include <vector>

namespace octane::controller::health {

struct PlacedAmphora {
    std::string amphora_id;
    std::string load_balancer_id;
    std::string host;
    std::string role;
    std::string load_balancer_status;
};

struct EvacuationInput {
    std::vector<PlacedAmphora> amphorae;  // every ALLOCATED amphora
    std::vector<std::string> enabled_hosts;
    std::vector<std::string> disabled_hosts;
    bool failover_in_progress = false;
    bool peers_may_share_host = false;  // `[nova]` anti-affinity off or soft
};

std::optional<PlacedAmphora> next_evacuation(const EvacuationInput& input);

}  // namespace octane::controller::health
