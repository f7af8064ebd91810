#include "net/netns_path.h"

#include <algorithm>

namespace octane::net {

bool valid_netns_name(const std::string& name) {
    return !name.empty() && name.size() <= 255 && name != "." && name != ".." &&
           name.find('/') == std::string::npos && name.find('\0') == std::string::npos;
}

std::string netns_path(const std::string& name) {
    return "/run/netns/" + name;
}

std::string sysctl_path(const std::string& key) {
    // As sysctl(8): a key with '/' keeps its dots, so a device named "eth0.100" can be addressed
    // as "net/ipv4/conf/eth0.100/rp_filter".
    std::string path = key;
    if (key.find('/') == std::string::npos) {
        std::replace(path.begin(), path.end(), '.', '/');
    }
    if (path.empty() || path.front() == '/' || path.back() == '/' ||
        path.find("//") != std::string::npos || path.find('\0') != std::string::npos) {
        return "";
    }
    // No component may climb out of /proc/sys.
    for (size_t start = 0; start <= path.size();) {
        const size_t end = std::min(path.find('/', start), path.size());
        const std::string component = path.substr(start, end - start);
        if (component == "." || component == "..") {
            return "";
        }
        start = end + 1;
    }
    return "/proc/sys/" + path;
}

}  // namespace octane::net
