#include "proxy/udp/lvs_process.h"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "proxy/loop/event_loop.h"
#include "proxy/runtime/handoff.h"
#include "proxy/runtime/ready_notify.h"
#include "proxy/runtime/stats_server.h"
#include "proxy/udp/lvs_config.h"
#include "proxy/udp/udp_engine.h"

namespace octane::proxy::udp {
namespace {

// A soft-stopped process keeps a flow while its server still answers within this time.
constexpr int64_t kStopGraceMs = 1000;
// Descriptors for VIP and check sockets, the stats socket and its clients, logs.
constexpr rlim_t kReservedFds = 256;

// One command on a predecessor's stats socket (before ours replaces it); "" when unreachable.
std::string ask_predecessor(const std::string& path, const std::string& command) {
    sockaddr_un un{};
    if (path.empty() || path.size() >= sizeof(un.sun_path)) {
        return "";
    }
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return "";
    }
    timeval tv{1, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    un.sun_family = AF_UNIX;
    std::memcpy(un.sun_path, path.c_str(), path.size());
    std::string out;
    std::string line = command + "\n";
    if (connect(fd, reinterpret_cast<sockaddr*>(&un), sizeof(un)) == 0 &&
        send(fd, line.data(), line.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(line.size())) {
        char buf[65536];
        ssize_t n = 0;
        while ((n = recv(fd, buf, sizeof(buf), 0)) > 0) {
            out.append(buf, static_cast<size_t>(n));
        }
    }
    close(fd);
    return out;
}

}  // namespace

int run_lvs(const Options& opt) {
    std::ifstream in(opt.lvs_file, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "[ALERT] Cannot open configuration file %s\n", opt.lvs_file.c_str());
        return 1;
    }
    std::ostringstream text;
    text << in.rdbuf();
    auto parsed = parse_lvs_config(text.str(), opt.lvs_file);
    for (const auto& e : parsed.errors) {
        std::fprintf(stderr, "[ALERT] %s\n", e.c_str());
    }
    if (!parsed.errors.empty()) {
        return 1;
    }
    auto services = resolve(parsed.config, opt.lvs_file);
    if (!services) {
        std::fprintf(stderr, "[ALERT] %s\n", services.error().message.c_str());
        return 1;
    }
    if (opt.check_only) {
        if (!opt.quiet) {
            std::printf("Configuration file is valid\n");
        }
        return 0;
    }
    if (!opt.pidfile.empty()) {
        std::ofstream pid(opt.pidfile, std::ios::trunc);
        pid << getpid() << "\n";
        if (!pid) {
            std::fprintf(stderr, "[ALERT] cannot write pidfile %s\n", opt.pidfile.c_str());
            return 1;
        }
    }
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGUSR1, SIGTERM, SIGINT, SIGHUP}) {
        sigaddset(&set, s);
    }
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);

    EventLoop loop;
    EngineSettings settings;
    if (opt.udp_timeout_s > 0) {
        settings.flow_timeout_ms = static_cast<int64_t>(opt.udp_timeout_s) * 1000;
    }
    if (opt.max_flows > 0) {
        settings.max_flows = static_cast<size_t>(opt.max_flows);
    }
    // One descriptor per flow: take what the hard limit allows, keep some for everything else.
    rlimit nofile{};
    if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
        nofile.rlim_cur = nofile.rlim_max;
        setrlimit(RLIMIT_NOFILE, &nofile);
        getrlimit(RLIMIT_NOFILE, &nofile);
        auto usable = nofile.rlim_cur > kReservedFds ? nofile.rlim_cur - kReservedFds : 1;
        settings.max_flows = std::min<size_t>(settings.max_flows, usable);
    }
    UdpEngine engine(loop, parsed.config, std::move(*services), settings);
    InheritedListeners inherited;
    for (int pid : opt.soft_stop_pids) {
        for (auto& [k, v] : fetch_listeners(pid)) {
            inherited[k].insert(inherited[k].end(), v.begin(), v.end());
        }
    }
    if (auto bound = engine.bind(inherited); !bound) {
        std::fprintf(stderr, "[ALERT] Starting proxy: %s\n", bound.error().message.c_str());
        return 1;
    }
    for (auto& [k, v] : inherited) {
        for (int fd : v) {
            close(fd);
        }
    }
    HandoffServer handoff(loop);
    for (const auto& [key, fd] : engine.vip_sockets()) {
        handoff.add(key, fd);
    }
    if (auto r = handoff.listen(); !r) {
        std::fprintf(stderr, "[WARNING] %s (reloads will not hand over listeners)\n",
                     r.error().message.c_str());
    }
    if (!opt.soft_stop_pids.empty()) {
        // Flows keep their servers across a reload, as IPVS's connection table does.
        size_t adopted = engine.adopt_flows(ask_predecessor(opt.stats_socket, "show flows"));
        if (adopted > 0) {
            std::fprintf(stderr, "[NOTICE] took over %zu flows\n", adopted);
        }
    }
    std::unique_ptr<StatsServer> stats;
    if (!opt.stats_socket.empty()) {
        stats = std::make_unique<StatsServer>(loop, [&engine](const std::string& command) {
            return run_command_line(command, [&engine](const std::string& c) -> std::string {
                if (c == "show stat") {
                    return engine.show_stat();
                }
                if (c == "show info") {
                    return engine.show_info();
                }
                if (c == "show flows") {
                    return engine.show_flows();
                }
                return "Unknown command.\n";
            });
        });
        if (auto r = stats->listen(opt.stats_socket, 0660); !r) {
            std::fprintf(stderr, "[ALERT] stats socket %s: %s\n", opt.stats_socket.c_str(),
                         r.error().message.c_str());
            return 1;
        }
    }
    engine.start();
    std::atomic<bool> loop_ended{false};
    std::thread worker([&loop, &loop_ended] {
        loop.run();
        loop_ended.store(true);
    });
    for (int pid : opt.soft_stop_pids) {
        kill(pid, SIGUSR1);
    }
    for (int pid : opt.hard_stop_pids) {
        kill(pid, SIGTERM);
    }
    notify_ready();

    bool done = false;
    while (!done && !loop_ended.load()) {
        timespec ts{0, 100'000'000};
        // The loop also ends on its own once a soft stop has no flow left.
        int sig = sigtimedwait(&set, nullptr, &ts);
        if (sig == SIGUSR1) {
            loop.post([&] {
                handoff.close();
                engine.soft_stop(kStopGraceMs);
            });
        } else if (sig == SIGTERM || sig == SIGINT) {
            loop.stop();
            done = true;
        }
    }
    worker.join();
    return 0;
}

}  // namespace octane::proxy::udp
