#include "linuxbridge/host_choice.h"

#include <algorithm>

namespace octane::linuxbridge {

std::optional<int> choose_host(int count, unsigned turn, const std::vector<std::string>& avoid) {
    for (int step = 0; step < count; ++step) {
        int host =
            static_cast<int>((turn + static_cast<unsigned>(step)) % static_cast<unsigned>(count)) +
            1;
        if (std::find(avoid.begin(), avoid.end(), "host-" + std::to_string(host)) == avoid.end()) {
            return host;
        }
    }
    return std::nullopt;
}

std::optional<int> place_amphora(int count, unsigned turn,
                                 const std::vector<std::string>& peer_hosts,
                                 const std::vector<std::string>& disabled, AntiAffinity policy) {
    if (policy != AntiAffinity::kOff) {
        std::vector<std::string> avoid = disabled;
        avoid.insert(avoid.end(), peer_hosts.begin(), peer_hosts.end());
        auto apart = choose_host(count, turn, avoid);
        if (apart || policy == AntiAffinity::kHard) {
            return apart;
        }
    }
    return choose_host(count, turn, disabled);
}

}  // namespace octane::linuxbridge
