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

}  // namespace octane::linuxbridge
