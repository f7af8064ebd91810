#pragma once

// Which simulated compute host a new amphora lands on: round robin (as a scheduler spreading
// load), skipping the hosts it must not share with its peer (Octavia puts an ACTIVE_STANDBY pair
// in an anti-affinity server group, so one host's death never takes both). Pure.

#include <optional>
#include <string>
#include <vector>

namespace octane::linuxbridge {

// Host number 1..count, the first not avoided from position `turn` on (avoid holds "host-N"
// names); none when every host is avoided.
std::optional<int> choose_host(int count, unsigned turn, const std::vector<std::string>& avoid);

}  // namespace octane::linuxbridge
