#pragma once

// The controller's metrics at the edges: every API request timed and counted, and GET /metrics
// served on a listener of its own ([metrics] bind_host/bind_port), so operators can scrape it
// from a management network without opening it beside the Octavia API, and so worker-only and
// health-only processes have one too.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "controller/health/health_counters.h"
#include "db/database.h"
#include "http/http_server.h"
#include "metrics/controller_metrics.h"
#include "service/service_options.h"

namespace octane::service {

// `inner`, counting each answer under its path's surface, method and status.
http::Handler measured(http::Handler inner, metrics::ControllerMetrics& metrics);

// The answers of the metrics listener: GET /metrics, 404 elsewhere.
http::HttpResponse metrics_response(const http::HttpRequest& request,
                                    const metrics::ControllerMetrics& metrics);

// Heartbeat counters of the health manager `health_counters()` returns (nullptr while none runs),
// failovers (its stale-amphora requests and `direct_failovers`), and the worker's queue depth.
void add_controller_sources(metrics::ControllerMetrics& metrics, db::Database& db,
                            std::function<const controller::health::HealthCounters*()> health,
                            const std::atomic<uint64_t>& direct_failovers);

// Started when options.metrics_bind_port >= 0 (port written to <state_dir>/metrics.port), else
// nullptr.
Result<std::unique_ptr<http::HttpServer>> start_metrics_server(
    const ServiceOptions& options, const metrics::ControllerMetrics& metrics);

}  // namespace octane::service
