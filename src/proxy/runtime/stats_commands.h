#pragma once

// The commands of the stats socket: `show stat`, `show info`, `help`, plus the admin-level
// server controls (`disable server`, `enable server`, `set weight`) when the socket allows them.

#include <atomic>
#include <string>
#include <vector>

#include "proxy/runtime/stats_csv.h"
#include "proxy/runtime/thread_activity.h"

namespace octane::proxy {

class AccessLog;

class StatsCommands {
  public:
    StatsCommands(Snapshot& snap, const ProcessInfo& info, const std::atomic<bool>& stopping,
                  const AccessLog& log, const std::vector<ThreadActivity>& activity)
        : snap_(snap), info_(info), stopping_(stopping), log_(log), activity_(activity) {}
    // `admin`: the socket was declared `level admin` (server state changes allowed).
    std::string run(const std::string& command, bool admin);

  private:
    ServerState* find_server(const std::string& be_slash_srv, BackendState** be);
    // `get weight <backend>/<server>`, `set weight <backend>/<server> <weight>[%]`.
    std::string weight_command(const std::vector<std::string>& words, bool admin);
    Snapshot& snap_;
    const ProcessInfo& info_;
    const std::atomic<bool>& stopping_;
    const AccessLog& log_;
    const std::vector<ThreadActivity>& activity_;
};

}  // namespace octane::proxy
