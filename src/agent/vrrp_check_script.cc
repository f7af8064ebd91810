#include "agent/vrrp_check_script.h"

namespace octane::agent {
namespace {

// One shell word, whatever the path holds.
std::string single_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    return out + "'";
}

}  // namespace

std::string vrrp_check_script(const std::string& state_dir) {
    return "#!/bin/bash\n"
           "# Written by the octane agent for keepalived's track_script: every engine running.\n"
           "shopt -s nullglob\n"
           "status=0\n"
           "for pid_file in " +
           single_quoted(state_dir) +
           "/*/haproxy.pid\n"
           "do\n"
           "  dir=$(dirname \"$pid_file\")\n"
           "  pid=$(head -n1 \"$pid_file\" 2>/dev/null)\n"
           "  if [[ ! \"$pid\" =~ ^[0-9]+$ ]] || ! tr '\\0' '\\n' < \"/proc/$pid/cmdline\" "
           "2>/dev/null | grep -qxF -- \"$dir/haproxy.cfg\"\n"
           "  then\n"
           "    echo \"engine of $(basename \"$dir\") is not running\"\n"
           "    status=1\n"
           "  fi\n"
           "done\n"
           "exit $status\n";
}

}  // namespace octane::agent
