#pragma once

// The script keepalived's `track_script` runs (Octavia's keepalived_check_script.conf runs the
// per-listener haproxy checks of its check_scripts directory through haproxy's stats socket). Ours
// checks each engine the agent runs directly: every <state>/<lb id>/haproxy.pid (the supervisor
// writes it on start and removes it on a stop) must name a live process whose command line holds
// that load balancer's haproxy.cfg, so a PID recycled by another process does not count. No
// engine: success, as Octavia's script with an empty directory. Pure text.

#include <string>

namespace octane::agent {

std::string vrrp_check_script(const std::string& state_dir);

}  // namespace octane::agent
