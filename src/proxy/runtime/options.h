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
};

}  // namespace octane::proxy
