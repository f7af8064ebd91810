#pragma once

// `http-request use-service prometheus-exporter`, which Octavia renders for a PROMETHEUS listener:
// the engine's counters under the names, types and labels of HAProxy 2.6's exporter (promex), so
// dashboards and alerts written for an Octavia amphora read ours unchanged. Drawn from the very
// rows `show stat` prints (stats_csv.h): one source of truth for both.

#include <string>

#include "proxy/runtime/stats_csv.h"

namespace octane::proxy {

// Prometheus text format 0.0.4: haproxy_process_*, then haproxy_frontend_*, haproxy_backend_*
// and haproxy_server_*, each family with its HELP and TYPE lines.
std::string render_prometheus(const Snapshot& snap, const ProcessInfo& info);

}  // namespace octane::proxy
