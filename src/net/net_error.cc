#include "net/net_error.h"

#include <cstdlib>
#include <cstring>

#include <netlink/errno.h>

namespace octane::net {

std::string describe_place(const std::string& ns, const std::string& dev) {
    std::string place = ns.empty() ? "root netns" : "netns " + ns;
    if (!dev.empty()) {
        place += " dev " + dev;
    }
    return place;
}

Unexpected<Error> system_error(const std::string& action, const std::string& ns,
                               const std::string& dev, int err) {
    return make_error(action + " in " + describe_place(ns, dev) + ": " + std::strerror(err), err);
}

Unexpected<Error> netlink_error(const std::string& action, const std::string& ns,
                                const std::string& dev, int nl_err) {
    return make_error(
        action + " in " + describe_place(ns, dev) + ": " + nl_geterror(std::abs(nl_err)),
        std::abs(nl_err));
}

}  // namespace octane::net
