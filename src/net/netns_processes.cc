#include <cctype>
#include <string>

#include <dirent.h>
#include <sys/stat.h>

#include "net/netns.h"
#include "net/netns_path.h"

namespace octane::net {

// A process is in ns when its /proc/<pid>/ns/net is the same namespace inode the mount pins.
std::vector<pid_t> processes_in_netns(const std::string& ns) {
    std::vector<pid_t> pids;
    struct stat target {};
    const std::string path = ns.empty() ? "/proc/thread-self/ns/net" : netns_path(ns);
    if ((!ns.empty() && !valid_netns_name(ns)) || ::stat(path.c_str(), &target) != 0) {
        return pids;
    }
    DIR* proc = ::opendir("/proc");
    if (proc == nullptr) {
        return pids;
    }
    while (const dirent* entry = ::readdir(proc)) {
        const std::string name = entry->d_name;
        if (name.empty() || !std::isdigit(static_cast<unsigned char>(name.front()))) {
            continue;
        }
        struct stat net {};
        // Processes may exit between readdir and stat; they are simply not listed.
        if (::stat(("/proc/" + name + "/ns/net").c_str(), &net) == 0 &&
            net.st_dev == target.st_dev && net.st_ino == target.st_ino) {
            pids.push_back(static_cast<pid_t>(std::stol(name)));
        }
    }
    ::closedir(proc);
    return pids;
}

}  // namespace octane::net
