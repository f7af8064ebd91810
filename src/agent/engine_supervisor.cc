#include "agent/engine_supervisor.h"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>

#include <poll.h>
#include <spdlog/spdlog.h>
#include <sys/wait.h>
#include <unistd.h>

#include "agent/process.h"
#include "agent/ready_listener.h"
#include "agent/restart_backoff.h"
#include "common/pidfd.h"
#include "common/private_dir.h"
#include "net/netns.h"

namespace octane::agent {
namespace {

namespace fs = std::filesystem;
constexpr auto kFailedReloadWindow = std::chrono::seconds(3);
constexpr auto kStableRun = std::chrono::seconds(10);
constexpr size_t kMaxEngineMessage = 4096;

uintmax_t file_size_or_zero(const std::string& path) {
    std::error_code ec;
    auto size = fs::file_size(path, ec);
    return ec ? 0 : size;
}

// What an engine wrote to its log since `offset` (its messages of this start), bounded.
std::string read_from(const std::string& path, uintmax_t offset, size_t limit) {
    std::ifstream in(path, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset));
    std::string text(limit, '\0');
    in.read(text.data(), static_cast<std::streamsize>(limit));
    text.resize(static_cast<size_t>(in.gcount()));
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) {
        text.pop_back();
    }
    return text.empty() ? "(no output)" : text;
}

std::string describe(int status) {
    if (WIFEXITED(status)) {
        return "exited with " + std::to_string(WEXITSTATUS(status));
    }
    if (WIFSIGNALED(status)) {
        return "killed by signal " + std::to_string(WTERMSIG(status));
    }
    return "ended";
}

}  // namespace

EngineSupervisor::EngineSupervisor(EngineSupervisorOptions options) : options_(std::move(options)) {
    auto fd = open_wake_fd();
    if (!fd) {
        throw std::runtime_error(fd.error().message);  // out of descriptors at agent start
    }
    wake_fd_ = *fd;
}

EngineSupervisor::~EngineSupervisor() {
    stop_all();
    for (const auto& [pid, fd] : pidfds_) {
        close(fd);
    }
    close(wake_fd_);
}

void EngineSupervisor::wake_monitor() const {
    wake(wake_fd_);
}

std::string EngineSupervisor::lb_dir(const std::string& lb_id) const {
    return options_.state_dir + "/" + lb_id;
}

std::string EngineSupervisor::lvs_config_path(const std::string& listener_id) const {
    return lb_dir(listener_id) + "/lvs.cfg";
}

std::string EngineSupervisor::lvs_stats_socket(const std::string& listener_id) const {
    // sun_path holds 107 bytes and the state directory may be long: a short private directory,
    // and a name that tells amphorae on one host apart (a failover runs two with one listener).
    char name[32];
    std::snprintf(name, sizeof(name), "/lvs-%016zx.sock",
                  std::hash<std::string>{}(lb_dir(listener_id)));
    return private_socket_dir() + name;
}

bool EngineSupervisor::is_lvs(const std::string& id) const {
    std::error_code ec;
    return fs::exists(lvs_config_path(id), ec);
}

std::string EngineSupervisor::config_path(const std::string& lb_id) const {
    return is_lvs(lb_id) ? lvs_config_path(lb_id) : lb_dir(lb_id) + "/haproxy.cfg";
}

void EngineSupervisor::start() {
    {
        std::lock_guard lock(mutex_);
        for (const auto& lb_id : configured_lbs()) {
            std::error_code ec;
            if (!fs::exists(lb_dir(lb_id) + "/stopped", ec)) {
                engines_[lb_id].wanted = true;  // the monitor starts it
            }
        }
    }
    monitor_ = std::thread([this] { monitor(); });
}

Result<pid_t> EngineSupervisor::spawn_locked(const std::string& lb_id, pid_t replaces) {
    std::string dir = lb_dir(lb_id);
    std::string pid_file = dir + "/haproxy.pid";
    bool lvs = is_lvs(lb_id);
    std::vector<std::string> argv{options_.engine, "-db", "-f", config_path(lb_id), "-p", pid_file};
    if (lvs) {
        if (auto made = ensure_private_dir(private_socket_dir()); !made) {
            return Unexpected(made.error());
        }
        argv = {options_.lvs_engine,
                "-db",
                "--lvs",
                config_path(lb_id),
                "-p",
                pid_file,
                "--stats-socket",
                lvs_stats_socket(lb_id)};
    } else if (!options_.peer_name.empty()) {
        argv.insert(argv.end(), {"-L", options_.peer_name});
    }
    if (replaces != 0) {
        argv.insert(argv.end(), {"-sf", std::to_string(replaces)});
    }
    SpawnOptions spawn{.output_file = dir + "/engine.log", .netns = options_.netns};
    std::optional<ReadyListener> ready;
    if (options_.wait_ready || lvs) {
        // The notification socket is abstract, so it must live in the engine's namespace.
        auto entered = net::in_netns(options_.netns, [&]() -> Result<void> {
            auto opened = ReadyListener::open();
            if (!opened) {
                return Unexpected(opened.error());
            }
            ready.emplace(std::move(*opened));
            return {};
        });
        if (!entered) {
            return Unexpected(entered.error());
        }
        spawn.extra_env.push_back(ready->environment_entry());
    }
    auto log_start = file_size_or_zero(spawn.output_file);
    auto pid = spawn_process(argv, spawn);
    if (!pid) {
        return pid;
    }
    if (ready) {
        int status = 0;
        switch (ready->wait(*pid, options_.ready_timeout, &status)) {
            case Readiness::kReady:
                break;
            case Readiness::kExited:
                return make_error("engine " + describe(status) + ": " +
                                  read_from(spawn.output_file, log_start, kMaxEngineMessage));
            case Readiness::kTimedOut:
                spdlog::warn("engine of {} (pid {}) not ready after {} ms; taken as started", lb_id,
                             *pid, options_.ready_timeout.count());
                break;
        }
    }
    // Our child, not reaped yet: its PID cannot have been recycled before this.
    auto pidfd = open_pidfd(*pid);
    if (!pidfd) {
        stop_process(*pid, SIGKILL, options_.stop_grace);
        return Unexpected(pidfd.error());
    }
    pidfds_[*pid] = *pidfd;
    wake_monitor();
    // In the foreground the engine may not write its pidfile; ours is the truth either way.
    std::ofstream(pid_file, std::ios::trunc) << *pid << "\n";
    spdlog::info("engine of {} started, pid {}{}", lb_id, *pid,
                 replaces != 0 ? " (reload of " + std::to_string(replaces) + ")" : "");
    return pid;
}

Result<void> EngineSupervisor::start_lb(const std::string& lb_id) {
    std::lock_guard lock(mutex_);
    std::error_code ec;
    if (!fs::exists(config_path(lb_id), ec)) {
        return make_error("No loadbalancer with UUID: " + lb_id, kNoSuchLoadBalancer);
    }
    fs::remove(lb_dir(lb_id) + "/stopped", ec);
    Engine& engine = engines_[lb_id];
    engine.wanted = true;
    engine.crashes = 0;
    if (engine.current != 0 || stopping_) {
        return {};
    }
    auto pid = spawn_locked(lb_id, 0);
    if (!pid) {
        // The monitor keeps trying (the port may be freed), but with a back-off, not in a loop.
        engine.crashes = std::max(engine.crashes, 1) + 1;
        engine.next_restart = Clock::now() + restart_backoff(engine.crashes);
        wake_monitor();  // its timer changed
        return Unexpected(pid.error());
    }
    engine.current = *pid;
    engine.started = Clock::now();
    return {};
}

Result<void> EngineSupervisor::reload_lb(const std::string& lb_id) {
    std::unique_lock lock(mutex_);
    auto it = engines_.find(lb_id);
    if (it == engines_.end() || it->second.current == 0) {
        lock.unlock();
        return start_lb(lb_id);
    }
    std::error_code ec;
    if (!fs::exists(config_path(lb_id), ec)) {
        return make_error("No loadbalancer with UUID: " + lb_id, kNoSuchLoadBalancer);
    }
    Engine& engine = it->second;
    auto pid = spawn_locked(lb_id, engine.current);
    if (!pid) {
        return Unexpected(pid.error());
    }
    engine.retiring.push_back(engine.current);
    engine.current = *pid;
    engine.started = Clock::now();
    engine.crashes = 0;
    return {};
}

void EngineSupervisor::stop_engine_locked(const std::string& lb_id, Engine& engine) {
    engine.wanted = false;
    for (pid_t pid : engine.retiring) {
        stop_process(pid, SIGTERM, options_.stop_grace);
    }
    engine.retiring.clear();
    if (engine.current != 0) {
        stop_process(engine.current, SIGTERM, options_.stop_grace);
        spdlog::info("engine of {} stopped, pid {}", lb_id, engine.current);
        engine.current = 0;
    }
    std::error_code ec;
    fs::remove(lb_dir(lb_id) + "/haproxy.pid", ec);
}

Result<void> EngineSupervisor::stop_lb(const std::string& lb_id) {
    std::lock_guard lock(mutex_);
    std::error_code ec;
    auto it = engines_.find(lb_id);
    if (it == engines_.end() && !fs::exists(config_path(lb_id), ec)) {
        return make_error("No loadbalancer with UUID: " + lb_id, kNoSuchLoadBalancer);
    }
    if (it != engines_.end()) {
        stop_engine_locked(lb_id, it->second);
    }
    std::ofstream(lb_dir(lb_id) + "/stopped", std::ios::trunc) << "stopped\n";
    wake_monitor();
    return {};
}

void EngineSupervisor::remove_lb(const std::string& lb_id) {
    std::lock_guard lock(mutex_);
    auto it = engines_.find(lb_id);
    if (it != engines_.end()) {
        stop_engine_locked(lb_id, it->second);
        engines_.erase(it);
    }
    wake_monitor();
}

void EngineSupervisor::stop_all() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
        for (auto& [lb_id, engine] : engines_) {
            stop_engine_locked(lb_id, engine);
        }
    }
    wake_monitor();
    if (monitor_.joinable()) {
        monitor_.join();
    }
}

void EngineSupervisor::check_locked(const std::string& lb_id, Engine& engine) {
    int status = 0;
    std::erase_if(engine.retiring, [&](pid_t pid) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        return r == pid || (r == -1 && errno == ECHILD);
    });
    auto now = Clock::now();
    if (engine.current != 0) {
        pid_t r = waitpid(engine.current, &status, WNOHANG);
        if (r == 0) {
            return;
        }
        if (now - engine.started > kStableRun) {
            engine.crashes = 0;  // it ran long enough: this is not a crash loop
        }
        spdlog::warn("engine of {} (pid {}) {}", lb_id, engine.current, describe(status));
        engine.current = 0;
        if (!engine.retiring.empty() && now - engine.started < kFailedReloadWindow) {
            engine.current = engine.retiring.back();  // the reload failed: keep the old one
            engine.retiring.pop_back();
            spdlog::warn("reload of {} failed; pid {} keeps serving", lb_id, engine.current);
            return;
        }
        if (engine.wanted) {
            engine.crashes++;
            engine.next_restart = now + restart_backoff(engine.crashes);
        }
    }
    if (engine.wanted && engine.current == 0 && now >= engine.next_restart) {
        auto pid = spawn_locked(lb_id, 0);
        if (pid) {
            engine.current = *pid;
            engine.started = now;
        } else {
            spdlog::error("cannot start the engine of {}: {}", lb_id, pid.error().message);
            engine.crashes++;
            engine.next_restart = now + restart_backoff(engine.crashes);
        }
    }
}

void EngineSupervisor::sweep_pidfds_locked() {
    std::erase_if(pidfds_, [&](const auto& entry) {
        for (const auto& [lb_id, engine] : engines_) {
            if (engine.current == entry.first ||
                std::find(engine.retiring.begin(), engine.retiring.end(), entry.first) !=
                    engine.retiring.end()) {
                return false;
            }
        }
        close(entry.second);
        return true;
    });
}

int EngineSupervisor::poll_timeout_locked(Clock::time_point now) const {
    int timeout = -1;
    for (const auto& [lb_id, engine] : engines_) {
        if (engine.wanted && engine.current == 0) {
            auto left =
                std::chrono::ceil<std::chrono::milliseconds>(engine.next_restart - now).count();
            int ms = static_cast<int>(std::clamp<int64_t>(left, 0, INT32_MAX));
            timeout = timeout == -1 ? ms : std::min(timeout, ms);
        }
    }
    return timeout;
}

void EngineSupervisor::monitor() {
    std::unique_lock lock(mutex_);
    std::vector<pollfd> fds;
    while (!stopping_) {
        for (auto& [lb_id, engine] : engines_) {
            check_locked(lb_id, engine);
        }
        sweep_pidfds_locked();
        fds.assign(1, pollfd{wake_fd_, POLLIN, 0});
        for (const auto& [pid, fd] : pidfds_) {
            fds.push_back(pollfd{fd, POLLIN, 0});
        }
        int timeout = poll_timeout_locked(Clock::now());
        lock.unlock();
        // Wakes on an exit, a command or a back-off restart; an idle agent sleeps here.
        int ready = poll(fds.data(), fds.size(), timeout);
        if (ready > 0 && fds[0].revents != 0) {
            drain_wake(wake_fd_);
        }
        lock.lock();
    }
}

std::optional<pid_t> EngineSupervisor::pid_of(const std::string& lb_id) const {
    std::lock_guard lock(mutex_);
    auto it = engines_.find(lb_id);
    if (it == engines_.end() || it->second.current == 0) {
        return std::nullopt;
    }
    return it->second.current;
}

std::vector<RunningEngine> EngineSupervisor::running() const {
    std::lock_guard lock(mutex_);
    std::vector<RunningEngine> out;
    for (const auto& [lb_id, engine] : engines_) {
        if (engine.current != 0) {
            bool lvs = is_lvs(lb_id);
            out.push_back(
                {lb_id, engine.current, config_path(lb_id), lvs ? lvs_stats_socket(lb_id) : ""});
        }
    }
    return out;
}

std::vector<std::string> EngineSupervisor::configured_lbs() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(options_.state_dir, ec)) {
        if (entry.is_directory(ec) && (fs::exists(entry.path() / "haproxy.cfg", ec) ||
                                       fs::exists(entry.path() / "lvs.cfg", ec))) {
            out.push_back(entry.path().filename().string());
        }
    }
    return out;
}

}  // namespace octane::agent
