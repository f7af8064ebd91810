#pragma once

// Which simulated compute host a new amphora lands on: round robin (as a scheduler spreading
// load), skipping disabled hosts and, as Octavia's `[nova] enable_anti_affinity` server group
// does, the hosts of its ACTIVE_STANDBY peer, so one host's death never takes both. Pure.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace octane::linuxbridge {

// Host number 1..count, the first not avoided from position `turn` on (avoid holds "host-N"
// names); none when every host is avoided.
std::optional<int> choose_host(int count, unsigned turn, const std::vector<std::string>& avoid);

// Octavia's `[nova] enable_anti_affinity` and `anti_affinity_policy`: off (peers may share a
// host), `anti-affinity` (never: no host left is an error) or `soft-anti-affinity` (another host
// when there is one, else the peer's).
enum class AntiAffinity : uint8_t { kOff, kHard, kSoft };

// A host for a new amphora: never a disabled one; a peer's only as the policy allows.
std::optional<int> place_amphora(int count, unsigned turn,
                                 const std::vector<std::string>& peer_hosts,
                                 const std::vector<std::string>& disabled, AntiAffinity policy);

}  // namespace octane::linuxbridge
