#include "common/pidfd.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace octane {

Result<int> open_pidfd(pid_t pid) {
    // Through syscall(): the glibc wrapper is newer than some of the systems we build on.
    long fd = syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0) {
        return make_error("pidfd_open(" + std::to_string(pid) + "): " + std::strerror(errno));
    }
    int out = static_cast<int>(fd);
    // pidfds are close-on-exec by the kernel's definition; nothing to set.
    return out;
}

bool pidfd_wait_exit(int pidfd, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (true) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        pollfd p{pidfd, POLLIN, 0};
        int ready = poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 0)));
        if (ready > 0) {
            return true;
        }
        if (ready == 0 || (ready == -1 && errno != EINTR)) {
            return ready == -1;  // a broken descriptor is no process to wait for
        }
    }
}

bool pidfd_exited(int pidfd) {
    return pidfd_wait_exit(pidfd, std::chrono::milliseconds(0));
}

Result<int> open_wake_fd() {
    int fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (fd == -1) {
        return make_error(std::string("eventfd: ") + std::strerror(errno));
    }
    return fd;
}

void wake(int fd) {
    uint64_t one = 1;
    ssize_t ignored = write(fd, &one, sizeof one);
    (void)ignored;  // a full counter already wakes the loop
}

void drain_wake(int fd) {
    uint64_t count = 0;
    ssize_t ignored = read(fd, &count, sizeof count);
    (void)ignored;
}

}  // namespace octane
