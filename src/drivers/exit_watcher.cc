#include "drivers/exit_watcher.h"

#include <vector>

#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "common/pidfd.h"
#include "drivers/local_process.h"

namespace octane::drivers {

Result<std::unique_ptr<ExitWatcher>> ExitWatcher::start(OnExit on_exit) {
    auto fd = open_wake_fd();
    if (!fd) {
        return Unexpected(fd.error());
    }
    std::unique_ptr<ExitWatcher> watcher(new ExitWatcher(*fd, std::move(on_exit)));
    watcher->thread_ = std::thread([w = watcher.get()] { w->run(); });
    return watcher;
}

ExitWatcher::ExitWatcher(int wake_fd, OnExit on_exit)
    : on_exit_(std::move(on_exit)), wake_fd_(wake_fd) {}

ExitWatcher::~ExitWatcher() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake(wake_fd_);
    if (thread_.joinable()) {
        thread_.join();
    }
    for (const auto& [name, fd] : watched_) {
        close(fd);
    }
    for (int fd : retired_) {
        close(fd);
    }
    close(wake_fd_);
}

Result<void> ExitWatcher::watch(const std::string& name, pid_t pid, const std::string& marker) {
    auto pidfd = open_pidfd(pid);
    if (!pidfd) {
        return Unexpected(pidfd.error());
    }
    // The pidfd pins one process: if it is still alive after the command line matched, the
    // command line was that process's own, not a recycled PID's.
    if (!process_matches(pid, marker) || pidfd_exited(*pidfd)) {
        close(*pidfd);
        return make_error("process " + std::to_string(pid) + " of " + name + " is gone");
    }
    {
        std::lock_guard lock(mutex_);
        auto [it, inserted] = watched_.try_emplace(name, *pidfd);
        if (!inserted) {
            retired_.push_back(it->second);
            it->second = *pidfd;
        }
    }
    wake(wake_fd_);
    return {};
}

void ExitWatcher::unwatch(const std::string& name) {
    {
        std::lock_guard lock(mutex_);
        auto it = watched_.find(name);
        if (it == watched_.end()) {
            return;
        }
        retired_.push_back(it->second);
        watched_.erase(it);
    }
    wake(wake_fd_);
}

bool ExitWatcher::watching(const std::string& name) const {
    std::lock_guard lock(mutex_);
    return watched_.contains(name);
}

void ExitWatcher::run() {
    std::vector<pollfd> fds;
    std::vector<std::string> names;
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                return;
            }
            for (int fd : retired_) {
                close(fd);
            }
            retired_.clear();
            fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
            names.clear();
            for (const auto& [name, fd] : watched_) {
                fds.push_back(pollfd{fd, POLLIN, 0});
                names.push_back(name);
            }
        }
        if (poll(fds.data(), fds.size(), -1) <= 0) {
            continue;  // EINTR
        }
        if (fds[0].revents != 0) {
            drain_wake(wake_fd_);
        }
        std::vector<std::string> exited;
        {
            std::lock_guard lock(mutex_);
            for (size_t i = 1; i < fds.size(); ++i) {
                auto it = watched_.find(names[i - 1]);
                // Only a watch still current: unwatched (stopped on purpose) or replaced is not
                // an unexpected death.
                if (fds[i].revents != 0 && it != watched_.end() && it->second == fds[i].fd) {
                    exited.push_back(it->first);
                    retired_.push_back(it->second);
                    watched_.erase(it);
                }
            }
        }
        for (const auto& name : exited) {
            try {
                on_exit_(name);
            } catch (const std::exception& e) {
                spdlog::error("exit of {}: {}", name, e.what());
            }
        }
    }
}

}  // namespace octane::drivers
