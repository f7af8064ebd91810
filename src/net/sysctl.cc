#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

#include "net/net_error.h"
#include "net/netns.h"
#include "net/netns_path.h"
#include "net/unique_fd.h"

namespace octane::net {

// /proc/sys/net resolves to the namespace of the thread that opens the file, so opening inside
// in_netns addresses that namespace's settings.
Result<void> sysctl(const std::string& ns, const std::string& key, const std::string& value) {
    const std::string path = sysctl_path(key);
    if (path.empty()) {
        return make_error("invalid sysctl key '" + key + "'", EINVAL);
    }
    return in_netns(ns, [&]() -> Result<void> {
        UniqueFd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
        if (!fd.valid()) {
            return system_error("open " + path, ns, "", errno);
        }
        const std::string line = value + "\n";
        const ssize_t written = ::write(fd.get(), line.data(), line.size());
        if (written < 0) {
            return system_error("write '" + value + "' to " + path, ns, "", errno);
        }
        if (static_cast<size_t>(written) != line.size()) {
            return make_error("short write of '" + value + "' to " + path + " in " +
                              describe_place(ns));
        }
        return {};
    });
}

}  // namespace octane::net
