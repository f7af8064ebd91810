#include "agent/keepalived_supervisor.h"

#include <algorithm>
#include <csignal>
#include <filesystem>
#include <fstream>

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/process.h"
#include "agent/restart_backoff.h"
#include "common/pidfd.h"

namespace octane::agent {
namespace {

namespace fs = std::filesystem;
constexpr auto kStableRun = std::chrono::seconds(10);
constexpr auto kConfigTestTimeout = std::chrono::seconds(10);
constexpr int kOnlyScriptSecurityWarning = 6;  // keepalived's KEEPALIVED_EXIT_CONFIG_TEST_SECURITY

}  // namespace

KeepalivedSupervisor::KeepalivedSupervisor(KeepalivedOptions options)
    : options_(std::move(options)) {
    auto fd = open_wake_fd();
    if (!fd) {
        throw std::runtime_error(fd.error().message);  // out of descriptors at agent start
    }
    wake_fd_ = *fd;
}

KeepalivedSupervisor::~KeepalivedSupervisor() {
    stop_all();
    for (int fd : retired_) {
        close(fd);
    }
    if (pidfd_ != -1) {
        close(pidfd_);
    }
    close(wake_fd_);
}

std::string KeepalivedSupervisor::config_path() const {
    return options_.dir + "/keepalived.conf";
}

std::string KeepalivedSupervisor::check_script_path() const {
    return options_.dir + "/check_script.sh";
}

bool KeepalivedSupervisor::configured() const {
    std::error_code ec;
    return fs::exists(config_path(), ec);
}

void KeepalivedSupervisor::start_monitor() {
    {
        std::lock_guard lock(mutex_);
        std::error_code ec;
        wanted_ = configured() && !fs::exists(options_.dir + "/stopped", ec);
    }
    monitor_ = std::thread([this] { monitor(); });
    wake(wake_fd_);
}

Result<void> KeepalivedSupervisor::check_config(const std::string& path) const {
    auto outcome = run_command(in_namespace({options_.binary, "--config-test", "--use-file", path}),
                               kConfigTestTimeout);
    if (!outcome) {
        return Unexpected(outcome.error());
    }
    // Exit 6 is a configuration whose only fault is scripts run without script_security: the
    // warning Octavia's amphorae carry too (its template sets no script_user).
    if (outcome->exit_code != 0 && outcome->exit_code != kOnlyScriptSecurityWarning) {
        return make_error(outcome->output.empty() ? "keepalived refused the configuration"
                                                  : outcome->output);
    }
    return {};
}

std::vector<std::string> KeepalivedSupervisor::in_namespace(std::vector<std::string> argv) const {
    if (!options_.netns.empty()) {
        argv.insert(argv.begin(), {options_.ip_binary, "netns", "exec", options_.netns});
    }
    return argv;
}

Result<void> KeepalivedSupervisor::spawn_locked() {
    std::vector<std::string> argv =
        in_namespace({options_.binary, "--dont-fork", "--log-console", "--log-detail", "--vrrp",
                      "--use-file", config_path(), "--pid", options_.dir + "/keepalived.pid",
                      "--vrrp_pid", options_.dir + "/vrrp.pid"});
    SpawnOptions spawn{.output_file = options_.dir + "/keepalived.log", .death_signal = SIGTERM};
    auto pid = spawn_process(argv, spawn);
    if (!pid) {
        return Unexpected(pid.error());
    }
    auto pidfd = open_pidfd(*pid);  // our child, not reaped: the PID is still its own
    if (!pidfd) {
        stop_process(*pid, SIGKILL, options_.stop_grace);
        return Unexpected(pidfd.error());
    }
    if (pidfd_ != -1) {
        retired_.push_back(pidfd_);
    }
    pid_ = *pid;
    pidfd_ = *pidfd;
    started_ = Clock::now();
    spdlog::info("keepalived started, pid {}", pid_);
    wake(wake_fd_);
    return {};
}

Result<void> KeepalivedSupervisor::start() {
    return start_or_restart(false);
}

Result<void> KeepalivedSupervisor::start_or_restart(bool kill_first) {
    std::lock_guard lock(mutex_);
    if (!configured()) {
        return make_error("no keepalived configuration uploaded", 404);
    }
    std::error_code ec;
    fs::remove(options_.dir + "/stopped", ec);
    wanted_ = true;
    crashes_ = 0;
    if (kill_first) {
        kill_locked();
        spdlog::info("keepalived killed for a restart on its new configuration");
    }
    if (pid_ != 0) {
        kill(pid_, SIGHUP);  // running: Octavia's agent turns a start into a reload
        return {};
    }
    return stopping_ ? Result<void>() : spawn_locked();
}

Result<void> KeepalivedSupervisor::reload() {
    std::unique_lock lock(mutex_);
    if (pid_ == 0) {
        lock.unlock();
        return start();
    }
    kill(pid_, SIGHUP);
    return {};
}

void KeepalivedSupervisor::kill_locked() {
    if (pid_ == 0) {
        return;
    }
    // The VRRP process is keepalived's child: found by its pid file, and only while it names our
    // configuration (a stale file may name a reused PID).
    int vrrp_fd = -1;
    pid_t vrrp_pid = 0;
    std::ifstream(options_.dir + "/vrrp.pid") >> vrrp_pid;
    std::string cmdline;
    if (vrrp_pid > 0) {
        std::ifstream in("/proc/" + std::to_string(vrrp_pid) + "/cmdline");
        std::getline(in, cmdline, '\0');
        std::getline(in, cmdline);
    }
    if (cmdline.find(config_path()) != std::string::npos) {
        if (auto fd = open_pidfd(vrrp_pid)) {
            vrrp_fd = *fd;
        }
    }
    // The main process first, so it cannot start a new VRRP process when it sees its child die.
    stop_process(pid_, SIGKILL, options_.stop_grace);
    pid_ = 0;
    retired_.push_back(pidfd_);
    pidfd_ = -1;
    if (vrrp_fd != -1) {
        kill(vrrp_pid, SIGKILL);
        // keepalived refuses to start while the old VRRP process lives (its pid file).
        pollfd gone{vrrp_fd, POLLIN, 0};
        poll(&gone, 1, static_cast<int>(options_.stop_grace.count()));
        close(vrrp_fd);
        // Orphaned, it may have become our child (a subreaper): reaped, or keepalived would see
        // its zombie through the pid file and refuse to start.
        waitpid(vrrp_pid, nullptr, WNOHANG);
    }
    // Whoever reaps it, the new keepalived must not find the old processes' pid files.
    std::error_code ec;
    fs::remove(options_.dir + "/vrrp.pid", ec);
    fs::remove(options_.dir + "/keepalived.pid", ec);
}

Result<void> KeepalivedSupervisor::restart() {
    return start_or_restart(true);
}

void KeepalivedSupervisor::stop_locked() {
    wanted_ = false;
    if (pid_ != 0) {
        stop_process(pid_, SIGTERM, options_.stop_grace);
        spdlog::info("keepalived stopped, pid {}", pid_);
        pid_ = 0;
        retired_.push_back(pidfd_);
        pidfd_ = -1;
    }
    wake(wake_fd_);
}

Result<void> KeepalivedSupervisor::stop() {
    std::lock_guard lock(mutex_);
    stop_locked();
    std::ofstream(options_.dir + "/stopped", std::ios::trunc) << "stopped\n";
    return {};
}

void KeepalivedSupervisor::stop_all() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
        stop_locked();
    }
    if (monitor_.joinable()) {
        monitor_.join();
    }
}

std::optional<pid_t> KeepalivedSupervisor::pid() const {
    std::lock_guard lock(mutex_);
    return pid_ == 0 ? std::nullopt : std::optional<pid_t>(pid_);
}

void KeepalivedSupervisor::monitor() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        for (int fd : retired_) {
            close(fd);
        }
        retired_.clear();
        auto now = Clock::now();
        if (pid_ != 0) {
            int status = 0;
            pid_t r = waitpid(pid_, &status, WNOHANG);
            if (r == pid_ || (r == -1 && errno == ECHILD)) {
                spdlog::warn("keepalived (pid {}) exited", pid_);
                pid_ = 0;
                retired_.push_back(pidfd_);
                pidfd_ = -1;
                if (now - started_ > kStableRun) {
                    crashes_ = 0;
                }
                crashes_++;
                next_restart_ = now + restart_backoff(crashes_);
            }
        }
        if (wanted_ && pid_ == 0 && now >= next_restart_) {
            if (auto spawned = spawn_locked(); !spawned) {
                spdlog::error("cannot start keepalived: {}", spawned.error().message);
                crashes_++;
                next_restart_ = now + restart_backoff(crashes_);
            }
        }
        int timeout = -1;
        if (wanted_ && pid_ == 0) {
            auto left = std::chrono::ceil<std::chrono::milliseconds>(next_restart_ - now).count();
            timeout = static_cast<int>(std::clamp<int64_t>(left, 0, 60000));
        }
        std::vector<pollfd> fds{{wake_fd_, POLLIN, 0}};
        if (pidfd_ != -1) {
            fds.push_back({pidfd_, POLLIN, 0});
        }
        lock.unlock();
        int ready = poll(fds.data(), fds.size(), timeout);
        if (ready > 0 && fds[0].revents != 0) {
            drain_wake(wake_fd_);
        }
        lock.lock();
    }
}

}  // namespace octane::agent
