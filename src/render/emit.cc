#include "render/emit.h"

#include "render/escape.h"

namespace octane::render {
namespace {

void emit_global(const GlobalView& g, std::string& out) {
    out += "# Configuration for loadbalancer " + escape_word(g.lb_id) + "\n";
    out += "global\n    daemon\n    user " + escape_word(g.user) + "\n";
    if (!g.group.empty()) {
        out += "    group " + escape_word(g.group) + "\n";
    }
    out += "    log " + escape_word(g.log_target) + " local" + std::to_string(g.user_log_facility) +
           "\n";
    out += "    log " + escape_word(g.log_target) + " local" +
           std::to_string(g.administrative_log_facility) + " notice\n";
    out += "    stats socket " + escape_word(g.stats_socket) + " mode 0666 level user\n";
    out += "    server-state-file " + escape_word(g.server_state_file) + "\n";
    out += "    maxconn " + std::to_string(g.maxconn) + "\n";
    if (g.external_check) {
        out += "    external-check\n";
    }
    if (g.insecure_fork_wanted) {
        out += "    insecure-fork-wanted\n";
    }
}

void emit_defaults(const GlobalView& g, std::string& out) {
    out += "defaults\n";
    out += g.connection_logging ? "    log global\n" : "    no log\n";
    out +=
        "    retries 3\n"
        "    option redispatch\n"
        "    option splice-request\n"
        "    option splice-response\n"
        "    option http-keep-alive\n";
}

void emit_peers(const GlobalView& g, std::string& out) {
    if (g.peers_section.empty()) {
        return;
    }
    out += "peers " + escape_word(g.peers_section) + "\n";
    for (const PeerView& p : g.peers) {
        out += "    peer " + escape_word(p.name) + " " + escape_word(p.address) + ":" +
               std::to_string(p.port) + "\n";
    }
}

void emit_prometheus(const PrometheusView& p, std::string& out) {
    if (!p.enabled) {
        return;
    }
    out += "frontend prometheus-exporter-internal-endpoint\n    bind " + escape_word(p.bind) + "\n";
    out +=
        "    mode http\n"
        "    no log\n"
        "    http-request use-service prometheus-exporter if { path /metrics }\n"
        "    http-request reject\n"
        "    timeout http-request 5s\n"
        "    timeout client 5s\n"
        "backend prometheus-exporter-internal\n"
        "    mode http\n"
        "    no log\n"
        "    balance first\n"
        "    timeout connect 5s\n"
        "    timeout server 5s\n";
    out += "    server prometheus-internal " + escape_word(p.server) + "\n";
}

}  // namespace

// Layout: global, blank, defaults, blank, peers (possibly empty) + newline, blank, the prometheus
// exporter (possibly empty), blank, then each frontend and backend followed by a blank line.
std::string emit(const ConfigView& view) {
    std::string out;
    emit_global(view.global, out);
    out += "\n";
    emit_defaults(view.global, out);
    out += "\n";
    emit_peers(view.global, out);
    out += "\n\n";
    emit_prometheus(view.prometheus, out);
    out += "\n";
    for (const ProxyView& proxy : view.proxies) {
        emit_frontend(proxy.frontend, out);
        out += "\n";
        for (const BackendView& backend : proxy.backends) {
            emit_backend(backend, out);
            out += "\n";
        }
    }
    return out;
}

}  // namespace octane::render
