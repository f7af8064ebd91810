#include "proxy/runtime/process.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <memory>
#include <optional>
#include <thread>
#include <vector>

#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proxy/config/parser.h"
#include "proxy/io/socket_ops.h"
#include "proxy/peers/engine_binding.h"
#include "proxy/runtime/access_log.h"
#include "proxy/runtime/fd_limits.h"
#include "proxy/runtime/handoff.h"
#include "proxy/runtime/health_manager.h"
#include "proxy/runtime/ready_notify.h"
#include "proxy/runtime/stats_commands.h"
#include "proxy/runtime/stats_server.h"
#include "proxy/runtime/tls_setup.h"
#include "proxy/runtime/worker.h"
#include "proxy/runtime/worker_team.h"
#include "proxy/sockmap/sockmap.h"

namespace octane::proxy {
namespace {

bool has_tcp_proxy(const config::Config& cfg) {
    for (const auto& p : cfg.proxies) {
        if (p.mode == config::Mode::kTcp && p.kind != config::SectionKind::kDefaults) {
            return true;
        }
    }
    return false;
}

struct OpenedListener {
    FrontendState* fe;
    std::string key;
    int fd;
    const tls::FrontendTls* tls;  // null: plain
};

// Opens one socket per bind line, or adopts every socket the previous process had for it (an
// older process may have had several: all of them share accept queues with it and all are
// served). Each socket is then shared by all workers (see listen_socket.h).
Result<std::vector<OpenedListener>> open_listeners(Snapshot& snap, InheritedListeners& inherited) {
    std::vector<OpenedListener> out;
    for (auto& fe : snap.frontends) {
        for (const auto& b : fe->cfg->binds) {
            auto found = snap.bind_tls.find(&b);
            const tls::FrontendTls* tls = found == snap.bind_tls.end() ? nullptr : found->second;
            std::string key = b.endpoint.to_string();
            auto& mine = inherited[key];
            bool have = !mine.empty();
            while (!mine.empty()) {
                set_nodelay(mine.back());  // an older process may not have set it
                out.push_back({fe.get(), key, mine.back(), tls});
                mine.pop_back();
            }
            if (have) {
                continue;
            }
            auto fd = open_listener(b.endpoint, b.backlog > 0 ? b.backlog : 4096);
            if (!fd) {
                return make_error(b.loc.str() + ": proxy '" + fe->cfg->name +
                                  "': " + fd.error().message);
            }
            out.push_back({fe.get(), key, *fd, tls});
        }
    }
    return out;
}

Unexpected<Error> errno_failure(const std::string& what) {
    return make_error(what + ": " + std::strerror(errno));
}

// `user` / `group` of the global section, as root. Every step must succeed: an engine that meant
// to give up root and could not must not serve traffic as root.
Result<void> drop_privileges(const config::GlobalSection& g) {
    if (geteuid() != 0 || (g.user.empty() && g.group.empty())) {
        return {};
    }
    std::optional<gid_t> gid;
    std::optional<uid_t> uid;
    if (!g.group.empty()) {
        const group* gr = getgrnam(g.group.c_str());
        if (gr == nullptr) {
            return make_error("cannot find group id for '" + g.group + "'");
        }
        gid = gr->gr_gid;
    }
    if (!g.user.empty()) {
        const passwd* pw = getpwnam(g.user.c_str());
        if (pw == nullptr) {
            return make_error("cannot find user id for '" + g.user + "'");
        }
        uid = pw->pw_uid;
        gid = gid.value_or(pw->pw_gid);
    }
    // Supplementary groups first (they need root), then the group, then the user.
    if (setgroups(0, nullptr) == -1) {
        return errno_failure("cannot drop supplementary groups (setgroups)");
    }
    if (setgid(*gid) == -1) {
        return errno_failure("cannot set gid " + std::to_string(*gid));
    }
    if (uid && setuid(*uid) == -1) {
        return errno_failure("cannot set uid " + std::to_string(*uid));
    }
    return {};
}

// `-L`, or the host name as HAProxy defaults to.
std::string local_peer_name(const Options& opt) {
    if (!opt.local_peer.empty()) {
        return opt.local_peer;
    }
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    return host;
}

// Writes and closes; false when any step failed (a full disk shows only at flush or close).
bool write_pid(std::ofstream& f, pid_t pid) {
    f << pid << "\n";
    f.close();
    return !f.fail();
}

}  // namespace

int run_process(const Options& opt) {
    auto parsed = config::parse_config_files(opt.files);
    for (const auto& w : parsed.diag.warnings()) {
        std::fprintf(stderr, "[WARNING] %s\n", w.c_str());
    }
    for (const auto& e : parsed.diag.errors()) {
        std::fprintf(stderr, "[ALERT] %s\n", e.c_str());
    }
    if (!parsed.diag.ok()) {
        std::fprintf(stderr, "[ALERT] Fatal errors found in configuration.\n");
        return 1;
    }
    if (opt.check_only) {
        auto tls_errors = check_tls_files(parsed.config);
        for (const auto& e : tls_errors) {
            std::fprintf(stderr, "[ALERT] %s\n", e.c_str());
        }
        if (!tls_errors.empty()) {
            std::fprintf(stderr, "[ALERT] Fatal errors found in configuration.\n");
            return 1;
        }
        if (!opt.quiet) {
            std::printf("Configuration file is valid\n");
        }
        return 0;
    }

    size_t binds = 0;
    for (const auto& p : parsed.config.proxies) {
        binds += p.binds.size();
    }
    int nbthread = parsed.config.global.nbthread;
    int reserve = 64 + static_cast<int>(binds) * nbthread + 16 * nbthread;
    FdPlan plan = plan_fd_limits(parsed.config.global.maxconn, reserve);
    if (!plan.warning.empty()) {
        std::fprintf(stderr, "[WARNING] %s\n", plan.warning.c_str());
    }
    auto snap = build_snapshot(std::move(parsed.config), plan.maxconn);
    if (auto tls_errors = attach_tls(*snap); !tls_errors.empty()) {
        for (const auto& e : tls_errors) {
            std::fprintf(stderr, "[ALERT] %s\n", e.c_str());
        }
        std::fprintf(stderr, "[ALERT] Fatal errors found in configuration.\n");
        return 1;
    }
    const config::GlobalSection& global = snap->config.global;

    InheritedListeners inherited;
    for (int pid : opt.soft_stop_pids) {
        for (auto& [k, v] : fetch_listeners(pid)) {
            inherited[k].insert(inherited[k].end(), v.begin(), v.end());
        }
    }
    auto listeners = open_listeners(*snap, inherited);
    if (!listeners) {
        std::fprintf(stderr, "[ALERT] Starting proxy: %s\n", listeners.error().message.c_str());
        return 1;
    }
    std::vector<std::string> peer_warnings;
    auto peer_services = peers::open_services(
        *snap, local_peer_name(opt),
        [&inherited](const std::string& key) {
            auto it = inherited.find(key);
            if (it == inherited.end() || it->second.empty()) {
                return -1;
            }
            int fd = it->second.front();
            it->second.erase(it->second.begin());
            return fd;
        },
        peer_warnings);
    for (const auto& w : peer_warnings) {
        std::fprintf(stderr, "[WARNING] %s\n", w.c_str());
    }
    // Inherited sockets for addresses no longer configured are simply closed.
    for (auto& [k, v] : inherited) {
        for (int fd : v) {
            close(fd);
        }
    }

    // Opened before any fork: an unwritable path fails the start instead of leaving a detached
    // engine whose pid nobody recorded (whoever reloads or stops it reads this file).
    std::ofstream pidfile;
    if (!opt.pidfile.empty()) {
        pidfile.open(opt.pidfile, std::ios::trunc);
        if (!pidfile) {
            std::fprintf(stderr, "[ALERT] cannot create pidfile %s\n", opt.pidfile.c_str());
            return 1;
        }
    }
    if ((opt.daemon || global.daemon) && !opt.foreground) {
        pid_t child = fork();
        if (child < 0) {
            std::perror("fork");
            return 1;
        }
        if (child > 0) {
            if (pidfile.is_open() && !write_pid(pidfile, child)) {
                std::fprintf(stderr, "[ALERT] cannot write pidfile %s\n", opt.pidfile.c_str());
                kill(child, SIGTERM);
                return 1;
            }
            return 0;
        }
        pidfile.close();
        setsid();
        if (FILE* f = std::freopen("/dev/null", "r", stdin)) {
            (void)f;
        }
    } else if (pidfile.is_open() && !write_pid(pidfile, getpid())) {
        std::fprintf(stderr, "[ALERT] cannot write pidfile %s\n", opt.pidfile.c_str());
        return 1;
    }

    // Signals are taken synchronously by the main thread; workers inherit the blocked mask.
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGUSR1, SIGTERM, SIGINT, SIGHUP, SIGTTOU, SIGTTIN}) {
        sigaddset(&set, s);
    }
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    signal(SIGPIPE, SIG_IGN);

    std::vector<std::string> log_targets = opt.log_targets;
    for (const auto& t : global.log_targets) {
        log_targets.push_back(t);
    }
    AccessLog access_log(log_targets);

    // Declared before the workers: sessions still open when they go read its counters.
    std::unique_ptr<Sockmap> sockmap;
    // Declared before the workers: a worker drops its references when it is destroyed.
    std::vector<std::unique_ptr<ListenSocket>> sockets;
    WorkerTeam team(static_cast<size_t>(snap->nbthread));
    std::vector<std::unique_ptr<Worker>> workers;
    for (int i = 0; i < snap->nbthread; ++i) {
        workers.push_back(std::make_unique<Worker>(*snap, i, &access_log, team));
        team.workers.push_back(workers.back().get());
        team.paused.add([worker = workers.back().get()] { worker->post_resume(); });
    }
    bool spawns = false;
    for (const auto& p : snap->config.proxies) {
        spawns = spawns || p.external_check;
    }
    for (auto& w : workers) {
        w->loop().set_explicit_deregistration(spawns);
    }
    HandoffServer handoff(workers[0]->loop());
    for (const auto& l : *listeners) {
        sockets.push_back(
            std::make_unique<ListenSocket>(l.fd, static_cast<int>(workers.size()), l.tls));
        for (auto& w : workers) {
            w->add_listener(*l.fe, *sockets.back());
        }
        handoff.add(l.key, l.fd);
    }
    for (const auto& p : peer_services) {
        handoff.add(p->handoff_key(), p->listen_fd());
    }
    if (auto r = handoff.listen(); !r) {
        std::fprintf(stderr, "[WARNING] %s (reloads will not hand over listeners)\n",
                     r.error().message.c_str());
    }
    std::atomic<bool> stopping{false};
    ProcessInfo info;
    info.pid = getpid();
    info.nbthread = snap->nbthread;
    info.ulimit_n = static_cast<int>(plan.nofile);
    info.maxconn = plan.maxconn;
    info.listeners = static_cast<int>(listeners->size());
    StatsCommands commands(*snap, info, stopping, access_log, team.activity);
    std::vector<std::unique_ptr<StatsServer>> stats;
    for (const auto& s : global.stats_sockets) {
        bool admin = s.level == "admin";
        auto srv = std::make_unique<StatsServer>(
            workers[0]->loop(),
            [&commands, admin](const std::string& c) { return commands.run(c, admin); });
        if (auto r = srv->listen(s.path, s.mode); !r) {
            std::fprintf(stderr, "[ALERT] %s: %s\n", s.loc.str().c_str(),
                         r.error().message.c_str());
            return 1;
        }
        stats.push_back(std::move(srv));
    }
    HealthManager health(workers[0]->loop(), *snap, &access_log);
    if (auto r = health.init(); !r) {
        std::fprintf(stderr, "[ALERT] %s\n", r.error().message.c_str());
        return 1;
    }
    // BPF needs the rights the process may be about to drop.
    if (global.sockmap && has_tcp_proxy(snap->config)) {
        std::string why;
        sockmap = Sockmap::load(static_cast<uint32_t>(plan.nofile), global.sockmap_max_queue, &why);
        if (!sockmap) {
            std::fprintf(stderr,
                         "[WARNING] tune.sockmap: %s; TCP sessions are forwarded in user space\n",
                         why.c_str());
        }
        snap->sockmap = sockmap.get();
    }
    if (auto dropped = drop_privileges(global); !dropped) {
        std::fprintf(stderr, "[ALERT] %s\n", dropped.error().message.c_str());
        return 1;
    }
    health.start();

    std::atomic<int> running{static_cast<int>(workers.size())};
    std::vector<std::thread> threads;
    for (auto& w : workers) {
        threads.emplace_back([&w, &running] {
            w->run();
            running.fetch_sub(1);
        });
    }
    for (auto& p : peer_services) {
        p->start();
    }
    // The new process is serving: now retire the previous one(s).
    for (int pid : opt.soft_stop_pids) {
        kill(pid, SIGUSR1);
    }
    for (int pid : opt.hard_stop_pids) {
        kill(pid, SIGTERM);
    }
    notify_ready();

    // Soft stop ends on its own once the last connection is done; `hard-stop-after` bounds it.
    std::optional<std::chrono::steady_clock::time_point> hard_stop_at;
    while (running.load() > 0) {
        timespec ts{0, 100'000'000};
        int sig = sigtimedwait(&set, nullptr, &ts);
        if (hard_stop_at && std::chrono::steady_clock::now() >= *hard_stop_at) {
            std::fprintf(stderr, "[WARNING] hard-stop-after: closing %lld connections\n",
                         static_cast<long long>(snap->cur_conns.load()));
            hard_stop_at.reset();
            for (auto& w : workers) {
                w->hard_stop();
            }
        }
        if (sig == SIGUSR1 && !stopping.exchange(true)) {
            if (global.hard_stop_after) {
                hard_stop_at = std::chrono::steady_clock::now() + *global.hard_stop_after;
            }
            std::fprintf(stderr,
                         "[NOTICE] soft-stop: no longer accepting, finishing %lld connections\n",
                         static_cast<long long>(snap->cur_conns.load()));
            // Queued on worker 0 ahead of its soft stop: the hand-over socket is gone before
            // the last reference to a listener is dropped.
            workers[0]->loop().post([&handoff] { handoff.close(); });
            for (auto& w : workers) {
                w->soft_stop();
            }
            for (auto& p : peer_services) {
                p->soft_stop();
            }
        } else if (sig == SIGTERM || sig == SIGINT) {
            stopping.store(true);
            for (auto& w : workers) {
                w->hard_stop();
            }
        }
    }
    for (auto& t : threads) {
        t.join();
    }
    // A soft-stopped process lingers until the new one has its stick tables (or 5 s).
    for (auto& p : peer_services) {
        p->stop(std::chrono::seconds(5));
    }
    return 0;
}

}  // namespace octane::proxy
