#include "proxy/runtime/prometheus_exporter.h"

#include <array>
#include <cstdio>
#include <ctime>
#include <string_view>
#include <vector>

namespace octane::proxy {
namespace {

enum Object : unsigned { kFrontend = 1, kBackend = 2, kServer = 4 };

// What promex does with a field beyond printing it.
enum class Kind {
    kPlain,
    kHttpOnly,      // only for proxies in mode http
    kMilliseconds,  // our column is in ms, promex's metric in seconds
    kStatus,        // one sample per state, 1 for the current one
    kHttpResponses  // one sample per status class, label code
};

struct Field {
    std::string_view metric;  // after haproxy_<object>_
    std::string_view column;  // of show stat
    bool counter;
    unsigned objects;
    Kind kind;
    std::string_view help;
};

// promex's order and names (HAProxy 2.6, addons/promex), for the columns we keep.
constexpr std::array<Field, 30> kFields{{
    {"status", "status", false, kFrontend | kBackend | kServer, Kind::kStatus,
     "State of the object: 1 for its current state label, 0 for the others."},
    {"current_queue", "qcur", false, kBackend | kServer, Kind::kPlain,
     "Connections waiting for a server now."},
    {"max_queue", "qmax", false, kBackend | kServer, Kind::kPlain,
     "Most connections ever waiting for a server at once."},
    {"current_sessions", "scur", false, kFrontend | kBackend | kServer, Kind::kPlain,
     "Sessions open now."},
    {"max_sessions", "smax", false, kFrontend | kBackend | kServer, Kind::kPlain,
     "Most sessions ever open at once."},
    {"limit_sessions", "slim", false, kFrontend | kBackend | kServer, Kind::kPlain,
     "Session limit: maxconn of a frontend or server, fullconn of a backend."},
    {"sessions_total", "stot", true, kFrontend | kBackend | kServer, Kind::kPlain,
     "Sessions since start."},
    {"bytes_in_total", "bin", true, kFrontend | kBackend | kServer, Kind::kPlain,
     "Request bytes (client to server) since start."},
    {"bytes_out_total", "bout", true, kFrontend | kBackend | kServer, Kind::kPlain,
     "Response bytes (server to client) since start."},
    {"requests_denied_total", "dreq", true, kFrontend | kBackend, Kind::kPlain,
     "Requests refused by rules since start."},
    {"responses_denied_total", "dresp", true, kFrontend | kBackend | kServer, Kind::kPlain,
     "Responses refused by rules since start."},
    {"request_errors_total", "ereq", true, kFrontend, Kind::kPlain,
     "Malformed or aborted requests since start."},
    {"connection_errors_total", "econ", true, kBackend | kServer, Kind::kPlain,
     "Failed connection attempts to servers since start."},
    {"response_errors_total", "eresp", true, kBackend | kServer, Kind::kPlain,
     "Invalid or aborted server responses since start."},
    {"retry_warnings_total", "wretr", true, kBackend | kServer, Kind::kPlain,
     "Connection attempts retried since start."},
    {"redispatch_warnings_total", "wredis", true, kBackend | kServer, Kind::kPlain,
     "Sessions moved to another server after failed attempts since start."},
    {"weight", "weight", false, kBackend | kServer, Kind::kPlain,
     "Effective weight of a server, or sum of the weights of a backend's UP servers."},
    {"active_servers", "act", false, kBackend, Kind::kPlain,
     "Active servers UP with a non-zero weight."},
    {"backup_servers", "bck", false, kBackend, Kind::kPlain,
     "Backup servers UP with a non-zero weight."},
    {"check_failures_total", "chkfail", true, kServer, Kind::kPlain,
     "Failed health checks since start."},
    {"check_up_down_total", "chkdown", true, kBackend | kServer, Kind::kPlain,
     "Transitions from UP to DOWN since start."},
    {"check_last_change_seconds", "lastchg", false, kBackend | kServer, Kind::kPlain,
     "Seconds since the last state change."},
    {"downtime_seconds_total", "downtime", true, kBackend | kServer, Kind::kPlain,
     "Seconds spent DOWN since start."},
    {"loadbalanced_total", "lbtot", true, kBackend | kServer, Kind::kPlain,
     "Times the object was picked by the balancing algorithm since start."},
    {"check_duration_seconds", "check_duration", false, kServer, Kind::kMilliseconds,
     "Duration of the last health check, seconds."},
    {"http_responses_total", "hrsp_1xx", true, kFrontend | kBackend | kServer, Kind::kHttpResponses,
     "HTTP responses since start, per status class."},
    {"http_requests_total", "req_tot", true, kFrontend | kBackend, Kind::kHttpOnly,
     "HTTP requests since start."},
    {"client_aborts_total", "cli_abrt", true, kBackend | kServer, Kind::kPlain,
     "Transfers the client aborted since start."},
    {"server_aborts_total", "srv_abrt", true, kBackend | kServer, Kind::kPlain,
     "Transfers the server aborted since start."},
    {"last_session_seconds", "lastsess", false, kBackend | kServer, Kind::kPlain,
     "Seconds since the last session was assigned."},
}};

constexpr std::array<std::string_view, 6> kResponseClasses{"1xx", "2xx", "3xx",
                                                           "4xx", "5xx", "other"};
constexpr std::array<std::string_view, 6> kResponseColumns{"hrsp_1xx", "hrsp_2xx", "hrsp_3xx",
                                                           "hrsp_4xx", "hrsp_5xx", "hrsp_other"};

Object object_of(const StatRow& row) {
    const std::string& sv = row.get("svname");
    if (sv == "FRONTEND") {
        return kFrontend;
    }
    return sv == "BACKEND" ? kBackend : kServer;
}

// The states promex lists per object, and which one a show-stat status text is.
std::vector<std::string_view> states_of(Object object) {
    if (object == kServer) {
        return {"DOWN", "UP", "MAINT", "DRAIN", "NOLB"};
    }
    return {"DOWN", "UP"};
}

std::string_view state_of(Object object, const std::string& status) {
    if (object == kFrontend) {
        return status == "OPEN" ? "UP" : "DOWN";
    }
    if (status == "MAINT") {
        return "MAINT";
    }
    // "UP", "UP 1/3" (going down), "no check": serving. "DOWN", "DOWN 1/2" (going up): not.
    return status.rfind("DOWN", 0) == 0 ? "DOWN" : "UP";
}

void escape_label(std::string_view value, std::string& out) {
    for (char c : value) {
        if (c == '\\' || c == '"') {
            out += '\\';
            out += c;
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out += c;
        }
    }
}

std::string labels_of(const StatRow& row, Object object) {
    std::string out = "proxy=\"";
    escape_label(row.get("pxname"), out);
    out += '"';
    if (object == kServer) {
        out += ",server=\"";
        escape_label(row.get("svname"), out);
        out += '"';
    }
    return out;
}

std::string seconds_of_ms(const std::string& ms) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", static_cast<double>(std::stoll(ms)) / 1000.0);
    return buf;
}

void header(std::string& out, std::string_view name, std::string_view help, bool counter) {
    out += "# HELP ";
    out += name;
    out += ' ';
    out += help;
    out += "\n# TYPE ";
    out += name;
    out += counter ? " counter\n" : " gauge\n";
}

void sample(std::string& out, std::string_view name, const std::string& labels,
            std::string_view value) {
    out += name;
    out += '{';
    out += labels;
    out += "} ";
    out += value;
    out += '\n';
}

// The lines of one field for one kind of object; nothing when no row has a value for it.
void dump_field(const Field& f, Object object, std::string_view prefix,
                const std::vector<StatRow>& rows, std::string& out) {
    std::string name = std::string(prefix) + std::string(f.metric);
    std::string lines;
    for (const auto& row : rows) {
        if (object_of(row) != object) {
            continue;
        }
        const bool http = row.get("mode") == "http";
        std::string labels = labels_of(row, object);
        switch (f.kind) {
            case Kind::kStatus: {
                std::string_view now = state_of(object, row.get("status"));
                for (std::string_view state : states_of(object)) {
                    sample(lines, name, labels + ",state=\"" + std::string(state) + "\"",
                           state == now ? "1" : "0");
                }
                break;
            }
            case Kind::kHttpResponses:
                if (!http) {
                    break;
                }
                for (size_t i = 0; i < kResponseClasses.size(); ++i) {
                    const std::string& v = row.get(kResponseColumns[i]);
                    sample(lines, name,
                           labels + ",code=\"" + std::string(kResponseClasses[i]) + "\"",
                           v.empty() ? "0" : v);
                }
                break;
            case Kind::kHttpOnly:
            case Kind::kPlain:
            case Kind::kMilliseconds: {
                const std::string& v = row.get(f.column);
                if (v.empty() || (f.kind == Kind::kHttpOnly && !http)) {
                    break;
                }
                sample(lines, name, labels, f.kind == Kind::kMilliseconds ? seconds_of_ms(v) : v);
                break;
            }
        }
    }
    if (!lines.empty()) {
        header(out, name, f.help, f.counter);
        out += lines;
    }
}

void process_metric(std::string& out, std::string_view metric, bool counter, std::string_view help,
                    int64_t value) {
    std::string name = "haproxy_process_" + std::string(metric);
    header(out, name, help, counter);
    out += name + " " + std::to_string(value) + "\n";
}

}  // namespace

std::string render_prometheus(const Snapshot& snap, const ProcessInfo& info) {
    std::string out;
    int64_t requests = 0;
    for (const auto& fe : snap.frontends) {
        requests += fe->counters.req_tot.load();
    }
    process_metric(out, "nbthread", false, "Worker threads (nbthread).", info.nbthread);
    process_metric(out, "nbproc", false, "Worker processes (always 1).", 1);
    process_metric(out, "relative_process_id", false, "Number of this worker process (always 1).",
                   1);
    process_metric(out, "uptime_seconds", false, "Seconds since the process started.",
                   static_cast<int64_t>(time(nullptr)) - snap.start_unix);
    process_metric(out, "start_time_seconds", false, "Process start, Unix time.", snap.start_unix);
    process_metric(out, "max_fds", false, "File descriptor limit of the process.", info.ulimit_n);
    process_metric(out, "max_connections", false, "Connection limit of the process (maxconn).",
                   info.maxconn);
    process_metric(out, "current_connections", false, "Connections open now.",
                   snap.cur_conns.load());
    process_metric(out, "connections_total", true, "Connections accepted since start.",
                   snap.cum_conns.load());
    process_metric(out, "requests_total", true, "Requests (HTTP) since start.", requests);
    process_metric(out, "stopping", false, "1 while a soft stop is in progress.",
                   info.stopping ? 1 : 0);
    const std::vector<StatRow> rows = stat_rows(snap, info);
    for (auto [object, prefix] :
         {std::pair{kFrontend, "haproxy_frontend_"}, std::pair{kBackend, "haproxy_backend_"},
          std::pair{kServer, "haproxy_server_"}}) {
        for (const Field& f : kFields) {
            if ((f.objects & object) != 0) {
                dump_field(f, object, prefix, rows, out);
            }
        }
    }
    return out;
}

}  // namespace octane::proxy
