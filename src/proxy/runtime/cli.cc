#include "proxy/runtime/cli.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "proxy/runtime/options.h"
#include "proxy/runtime/process.h"
#include "proxy/udp/lvs_process.h"

namespace octane::proxy {
namespace {

constexpr const char* kVersion = "0.1.0";

void usage() {
    std::fprintf(stderr,
                 "Usage: octane-proxy -f <cfgfile> [-f <cfgfile>...] [-c] [-D] [-db] [-q] "
                 "[-p <pidfile>] [-L <name>] [-sf <pid>...] [-st <pid>...] [--log <target>]\n"
                 "  -v  version        -c  check the configuration and exit\n"
                 "  -D  daemonize      -db do not daemonize (foreground)\n"
                 "  -sf soft-stop the listed pids once started (graceful reload)\n"
                 "  -st hard-stop the listed pids once started\n"
                 "  --log stdout|stderr|file:/path  extra access-log target\n"
                 "       octane-proxy --lvs <keepalived LVS file> [-c] [-db] [-p <pidfile>] "
                 "[-sf <pid>...] [--stats-socket <path>] [--udp-timeout <s>] [--max-flows <n>]\n"
                 "  --lvs  serve one UDP/SCTP listener from Octavia's keepalived LVS file\n");
}

bool is_pid(const char* s) {
    if (*s == '\0') {
        return false;
    }
    for (const char* p = s; *p; ++p) {
        if (*p < '0' || *p > '9') {
            return false;
        }
    }
    return true;
}

}  // namespace

int run_cli(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto need = [&](const char* what) -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "octane-proxy: option %s expects %s\n", a.c_str(), what);
                std::exit(1);
            }
            return argv[++i];
        };
        if (a == "-f") {
            opt.files.emplace_back(need("a file"));
        } else if (a == "-c") {
            opt.check_only = true;
        } else if (a == "-D") {
            opt.daemon = true;
        } else if (a == "-db") {
            opt.foreground = true;
        } else if (a == "-q") {
            opt.quiet = true;
        } else if (a == "-p") {
            opt.pidfile = need("a pid file");
        } else if (a == "-L") {
            opt.local_peer = need("a peer name");
        } else if (a == "--lvs") {
            opt.lvs_file = need("a keepalived LVS configuration file");
        } else if (a == "--stats-socket") {
            opt.stats_socket = need("a socket path");
        } else if (a == "--max-flows") {
            opt.max_flows = std::atoi(need("a number"));
            if (opt.max_flows <= 0) {
                std::fprintf(stderr, "octane-proxy: --max-flows expects a positive number\n");
                return 1;
            }
        } else if (a == "--udp-timeout") {
            opt.udp_timeout_s = std::atoi(need("seconds"));
            if (opt.udp_timeout_s <= 0) {
                std::fprintf(stderr, "octane-proxy: --udp-timeout expects a positive number\n");
                return 1;
            }
        } else if (a == "--log") {
            opt.log_targets.emplace_back(need("a target"));
        } else if (a == "-sf" || a == "-st") {
            auto& list = a == "-sf" ? opt.soft_stop_pids : opt.hard_stop_pids;
            while (i + 1 < argc && is_pid(argv[i + 1])) {
                list.push_back(std::atoi(argv[++i]));
            }
        } else if (a == "-v" || a == "-vv" || a == "--version") {
            std::printf("octane-proxy version %s (haproxy.cfg dialect of HAProxy 2.6)\n", kVersion);
            return 0;
        } else if (a == "-h" || a == "--help") {
            usage();
            return 0;
        } else if (a == "-W" || a == "-Ws" || a == "-x" || a == "-S") {
            std::fprintf(stderr, "octane-proxy: option %s (master-worker mode) is not supported\n",
                         a.c_str());
            return 1;
        } else if (a.rfind("-d", 0) == 0) {
            opt.foreground = true;  // HAProxy's debug flags all imply foreground
        } else {
            std::fprintf(stderr, "octane-proxy: unknown option '%s'\n", a.c_str());
            usage();
            return 1;
        }
    }
    if (!opt.lvs_file.empty()) {
        if (!opt.files.empty()) {
            std::fprintf(stderr, "octane-proxy: --lvs and -f cannot be combined\n");
            return 1;
        }
        return udp::run_lvs(opt);
    }
    if (opt.files.empty()) {
        usage();
        return 1;
    }
    return run_process(opt);
}

}  // namespace octane::proxy
