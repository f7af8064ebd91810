#pragma once

// Command-line options of octane-proxy (HAProxy's where they overlap).

#include <string>
#include <vector>

namespace octane::proxy {

struct Options {
    std::vector<std::string> files;   // -f (repeatable)
    bool check_only = false;          // -c
    bool daemon = false;              // -D
    bool foreground = false;          // -db: never daemonize, even with `daemon` in global
    bool quiet = false;               // -q
    std::string pidfile;              // -p
    std::string local_peer;           // -L
    std::vector<int> soft_stop_pids;  // -sf
    std::vector<int> hard_stop_pids;  // -st
    std::vector<std::string>
        log_targets;  // --log TARGET (stdout, stderr, file:/path): our addition
    // UDP/SCTP mode (our addition, docs/amphora.md §5): a keepalived LVS configuration instead of
    // haproxy.cfg, its stats socket, and the idle timeout of a UDP flow (IPVS's, 300 s).
    std::string lvs_file;      // --lvs FILE
    std::string stats_socket;  // --stats-socket PATH
    int udp_timeout_s = 0;     // --udp-timeout SECONDS
    int max_flows = 0;         // --max-flows N (default 100000, and what descriptors allow)
};

}  // namespace octane::proxy
