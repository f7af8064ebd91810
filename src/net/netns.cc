#include "net/netns.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include <dirent.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "net/net_error.h"
#include "net/netns_path.h"
#include "net/unique_fd.h"

namespace octane::net {
namespace {

constexpr const char* kNetnsDir = "/run/netns";

// Create and delete check-then-act on /run/netns; one at a time within the process.
std::mutex& registry_mutex() {
    static std::mutex mutex;
    return mutex;
}

Result<void> check_name(const std::string& name) {
    if (!valid_netns_name(name)) {
        return make_error("invalid netns name '" + name + "'", EINVAL);
    }
    return {};
}

// As iproute2: /run/netns is a shared mount, so namespaces mounted later propagate into mount
// namespaces cloned from this one (`ip netns exec` makes one per command).
Result<void> make_netns_dir_shared() {
    if (::mkdir(kNetnsDir, 0755) != 0 && errno != EEXIST) {
        return system_error(std::string("mkdir ") + kNetnsDir, "", "", errno);
    }
    if (::mount("", kNetnsDir, "none", MS_SHARED | MS_REC, nullptr) == 0) {
        return {};
    }
    if (errno != EINVAL) {
        return system_error(std::string("make ") + kNetnsDir + " shared", "", "", errno);
    }
    // EINVAL: not a mount point yet; bind it onto itself to make it one.
    if (::mount(kNetnsDir, kNetnsDir, "none", MS_BIND | MS_REC, nullptr) != 0) {
        return system_error(std::string("bind mount ") + kNetnsDir, "", "", errno);
    }
    if (::mount("", kNetnsDir, "none", MS_SHARED | MS_REC, nullptr) != 0) {
        return system_error(std::string("make ") + kNetnsDir + " shared", "", "", errno);
    }
    return {};
}

// A fresh namespace pinned by a bind mount at path. unshare moves only the calling thread, so a
// short-lived thread of its own does it and ends once the mount holds the namespace alive.
Result<void> mount_new_namespace(const std::string& name, const std::string& path) {
    int err = 0;
    const char* step = "";
    std::thread worker([&] {
        if (::unshare(CLONE_NEWNET) != 0) {
            err = errno;
            step = "unshare(CLONE_NEWNET)";
            return;
        }
        if (::mount("/proc/thread-self/ns/net", path.c_str(), "none", MS_BIND, nullptr) != 0) {
            err = errno;
            step = "bind mount of the new namespace";
        }
    });
    worker.join();
    if (err != 0) {
        return system_error(step, name, "", err);
    }
    return {};
}

// Puts the thread back where in_netns found it. Failing that, the thread would go on configuring
// the wrong host's devices, so the process stops instead.
class ReturnToNamespace {
  public:
    explicit ReturnToNamespace(UniqueFd original) : original_(std::move(original)) {}
    ReturnToNamespace(const ReturnToNamespace&) = delete;
    ReturnToNamespace& operator=(const ReturnToNamespace&) = delete;
    ~ReturnToNamespace() {
        if (::setns(original_.get(), CLONE_NEWNET) != 0) {
            std::fprintf(stderr, "octane::net: cannot return thread to its network namespace: %s\n",
                         std::strerror(errno));
            std::abort();
        }
    }

  private:
    UniqueFd original_;
};

}  // namespace

bool netns_exists(const std::string& name) {
    if (!valid_netns_name(name)) {
        return false;
    }
    UniqueFd fd(::open(netns_path(name).c_str(), O_RDONLY | O_CLOEXEC));
    struct statfs fs {};
    return fd.valid() && ::fstatfs(fd.get(), &fs) == 0 &&
           static_cast<unsigned long>(fs.f_type) == NSFS_MAGIC;
}

Result<void> create_netns(const std::string& name) {
    if (auto valid = check_name(name); !valid) {
        return valid;
    }
    std::lock_guard lock(registry_mutex());
    if (netns_exists(name)) {
        return {};
    }
    if (auto shared = make_netns_dir_shared(); !shared) {
        return shared;
    }
    const std::string path = netns_path(name);
    // A file left without a mount (a creator that died half-way) is reused.
    UniqueFd file(::open(path.c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444));
    if (!file.valid() && errno != EEXIST) {
        return system_error("create " + path, name, "", errno);
    }
    file.reset();
    auto mounted = mount_new_namespace(name, path);
    if (!mounted) {
        ::unlink(path.c_str());
    }
    return mounted;
}

Result<void> delete_netns(const std::string& name) {
    if (auto valid = check_name(name); !valid) {
        return valid;
    }
    std::lock_guard lock(registry_mutex());
    const std::string path = netns_path(name);
    // EINVAL: not a mount point (a bare file); ENOENT: nothing there.
    if (::umount2(path.c_str(), MNT_DETACH) != 0 && errno != EINVAL && errno != ENOENT) {
        return system_error("umount " + path, name, "", errno);
    }
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
        return system_error("unlink " + path, name, "", errno);
    }
    return {};
}

std::vector<std::string> list_netns() {
    std::vector<std::string> names;
    DIR* dir = ::opendir(kNetnsDir);
    if (dir == nullptr) {
        return names;
    }
    while (const dirent* entry = ::readdir(dir)) {
        const std::string name = entry->d_name;
        if (name != "." && name != "..") {
            names.push_back(name);
        }
    }
    ::closedir(dir);
    std::sort(names.begin(), names.end());
    return names;
}

Result<void> in_netns(const std::string& ns, const std::function<Result<void>()>& fn) {
    if (ns.empty()) {
        return fn();
    }
    if (auto valid = check_name(ns); !valid) {
        return valid;
    }
    UniqueFd target(::open(netns_path(ns).c_str(), O_RDONLY | O_CLOEXEC));
    if (!target.valid()) {
        return system_error("open " + netns_path(ns), ns, "", errno);
    }
    UniqueFd original(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!original.valid()) {
        return system_error("open /proc/thread-self/ns/net", ns, "", errno);
    }
    if (::setns(target.get(), CLONE_NEWNET) != 0) {
        return system_error("setns", ns, "", errno);
    }
    ReturnToNamespace back(std::move(original));
    return fn();
}

}  // namespace octane::net
