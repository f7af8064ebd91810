#include "proxy/runtime/stats_commands.h"

#include <ctime>

#include "common/strings.h"
#include "proxy/runtime/access_log.h"

namespace octane::proxy {

ServerState* StatsCommands::find_server(const std::string& ref, BackendState** be_out) {
    size_t slash = ref.find('/');
    if (slash == std::string::npos) {
        return nullptr;
    }
    auto it = snap_.backend_by_name.find(ref.substr(0, slash));
    if (it == snap_.backend_by_name.end()) {
        return nullptr;
    }
    std::string name = ref.substr(slash + 1);
    for (auto& s : it->second->servers) {
        if (s->cfg->name == name) {
            *be_out = it->second;
            return s.get();
        }
    }
    return nullptr;
}

std::string StatsCommands::run(const std::string& command, bool admin) {
    ProcessInfo info = info_;
    info.stopping = stopping_.load();
    info.dropped_logs = log_.dropped();
    std::vector<std::string> w;
    for (const auto& part : split(command, ' ')) {
        if (!part.empty()) {
            w.push_back(part);
        }
    }
    if (w.size() >= 2 && w[0] == "show" && w[1] == "stat") {
        return render_show_stat(snap_, info);
    }
    if (w.size() >= 2 && w[0] == "show" && w[1] == "info") {
        return render_show_info(snap_, info);
    }
    if (w.size() == 2 && w[0] == "show" && w[1] == "activity") {
        return render_show_activity(activity_, 1);  // the CLI is served by the first thread
    }
    if (w.size() == 3 && (w[0] == "disable" || w[0] == "enable") && w[1] == "server") {
        if (!admin) {
            return "Permission denied\n\n";
        }
        BackendState* be = nullptr;
        ServerState* s = find_server(w[2], &be);
        if (s == nullptr) {
            return "No such server.\n\n";
        }
        bool up = w[0] == "enable";
        be->set_server_up(s, up, time(nullptr));
        s->status.store(up ? ServerStatus::kUp : ServerStatus::kMaint);
        return "\n";
    }
    if (w.size() == 1 && w[0] == "help") {
        return "The following commands are valid at this level:\n"
               "  help           : this message\n"
               "  show info      : report information about the running process\n"
               "  show stat      : report counters for each proxy and server\n"
               "  show activity  : connections accepted and served by each thread\n"
               "  disable server : put a server in maintenance (backend/server)\n"
               "  enable server  : take a server out of maintenance (backend/server)\n\n";
    }
    return "Unknown command. Please enter one of the following commands only :\n"
           "  help           : this message\n"
           "  show info      : report information about the running process\n"
           "  show stat      : report counters for each proxy and server\n\n";
}

}  // namespace octane::proxy
