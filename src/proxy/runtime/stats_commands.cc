#include "proxy/runtime/stats_commands.h"

#include <algorithm>
#include <ctime>

#include "common/strings.h"
#include "proxy/runtime/access_log.h"
#include "proxy/runtime/show_table.h"

namespace octane::proxy {
namespace {

// `set weight` value: `<n>` (0-256) or `<n>%` of the configured weight (capped at 256), in
// HAProxy's words. Map-based hashing is static: only 0 and the configured weight, as HAProxy.
std::string parse_weight(const std::string& text, const config::ProxySection& be, int initial,
                         int* weight) {
    size_t digits = 0;
    while (digits < text.size() && digits < 6 && text[digits] >= '0' && text[digits] <= '9') {
        ++digits;
    }
    if (digits == 0) {
        return "Empty weight string empty or preceded by garbage\n";
    }
    int n = std::stoi(text.substr(0, digits));
    std::string rest = text.substr(digits);
    if (rest == "%") {
        n = std::min(initial * std::min(n, 25600) / 100, 256);
    } else if (n > 256) {
        return "Absolute weight can only be between 0 and 256 inclusive.\n";
    } else if (!rest.empty()) {
        return "Trailing garbage in weight string\n";
    }
    bool is_static =
        (be.balance == balance::Algorithm::kSource || be.balance == balance::Algorithm::kHash) &&
        be.hash_type == balance::HashType::kMapBased;
    if (n != 0 && n != initial && is_static) {
        return "Backend is using a static LB algorithm and only accepts weights '0%' and "
               "'100%'.\n";
    }
    *weight = n;
    return "";
}

}  // namespace

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
    if (w.size() >= 2 && w.size() <= 3 && w[0] == "show" && w[1] == "table") {
        return render_show_table(snap_, w.size() == 3 ? w[2] : "");
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
    if (w.size() >= 2 && (w[0] == "set" || w[0] == "get") && w[1] == "weight") {
        return weight_command(w, admin);
    }
    if (w.size() == 1 && w[0] == "help") {
        return "The following commands are valid at this level:\n"
               "  help           : this message\n"
               "  show info      : report information about the running process\n"
               "  show stat      : report counters for each proxy and server\n"
               "  show activity  : connections accepted and served by each thread\n"
               "  show table     : report table usage stats or dump this table's contents\n"
               "  disable server : put a server in maintenance (backend/server)\n"
               "  enable server  : take a server out of maintenance (backend/server)\n"
               "  get weight     : report a server's current weight (backend/server)\n"
               "  set weight     : change a server's weight (backend/server <0-256>|<n>%)\n\n";
    }
    return "Unknown command. Please enter one of the following commands only :\n"
           "  help           : this message\n"
           "  show info      : report information about the running process\n"
           "  show stat      : report counters for each proxy and server\n\n";
}

std::string StatsCommands::weight_command(const std::vector<std::string>& w, bool admin) {
    bool set = w[0] == "set";
    if (w.size() != (set ? 4u : 3u)) {
        return set ? "Require 'backend/server' and 'weight' or 'weight%'.\n\n"
                   : "Require 'backend/server'.\n\n";
    }
    BackendState* be = nullptr;
    ServerState* s = find_server(w[2], &be);
    if (s == nullptr) {
        return "No such server.\n\n";
    }
    if (!set) {
        return std::to_string(s->weight.load()) + " (initial " + std::to_string(s->cfg->weight) +
               ")\n\n";
    }
    if (!admin) {
        return "Permission denied\n\n";
    }
    int weight = 0;
    if (auto error = parse_weight(w[3], *be->cfg, s->cfg->weight, &weight); !error.empty()) {
        return error + "\n";
    }
    be->set_server_weight(s, weight);
    return "\n";
}

}  // namespace octane::proxy
