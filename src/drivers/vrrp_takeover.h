#pragma once

// The VRRP takeover of an ACTIVE_STANDBY pair (docs/design.md §4 "Availability"): when the
// controller sees the MASTER's agent die (its pidfd), the MASTER may have died silently with it
// (keepalived killed too, or the whole amphora): the BACKUP's keepalived would wait VRRP's
// master-down interval (3 x advert_int + skew, 3.65 s with Octavia's advert_int 1) before taking
// the VIP. Instead the BACKUP's keepalived is restarted at once with a takeover configuration
// (render::KeepalivedInput::takeover, the address owner): it is MASTER within about 0.1 s. A
// restart, not a reload: keepalived 2.2 keeps a reloaded instance's state and restarts its
// master-down timer. Only for a lost MASTER (the database's role): restarting the keepalived that
// holds the VIP would drop it for a second. The failover that follows reloads the survivor with
// the normal configuration (priority 100), which keeps it MASTER.
// Pure: which amphora to promote, and the graph to render for it.

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace octane::drivers {

// The last ACTIVE_STANDBY graph (the worker's load balancer graph) pushed to each amphora.
using VrrpGraphs = std::map<std::string, nlohmann::json>;

// The amphora that should claim the VIP now that `lost` is gone: another amphora whose graph
// names `lost` as the ALLOCATED MASTER of its pair. Nothing when `lost` was no pair's MASTER.
std::optional<std::string> takeover_peer(const VrrpGraphs& graphs, const std::string& lost);

// The peer's graph with "vrrp_takeover" set. The dead amphora stays a unicast peer: were it only
// slow, it must hear the owner's priority and step down.
nlohmann::json takeover_graph(nlohmann::json graph);

}  // namespace octane::drivers
