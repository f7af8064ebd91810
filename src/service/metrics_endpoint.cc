#include "service/metrics_endpoint.h"

#include <chrono>
#include <utility>
#include <vector>

#include <spdlog/spdlog.h>

#include "common/file_util.h"
#include "controller/worker/lease.h"

namespace octane::service {
namespace {

using controller::health::Counter;
using controller::health::counter_name;
using controller::health::HealthCounters;

std::vector<std::pair<std::string, double>> values_of(const HealthCounters& counters,
                                                      std::initializer_list<Counter> which) {
    std::vector<std::pair<std::string, double>> out;
    for (Counter c : which) {
        out.emplace_back(counter_name(c), static_cast<double>(counters.get(c)));
    }
    return out;
}

std::vector<prometheus::MetricFamily> heartbeat_families(const HealthCounters& c) {
    std::vector<prometheus::MetricFamily> out;
    out.push_back(metrics::counter_family("octane_heartbeats_received_total",
                                          "Heartbeat datagrams read from the socket",
                                          static_cast<double>(c.get(Counter::kReceived))));
    out.push_back(metrics::counter_family("octane_heartbeats_accepted_total",
                                          "Heartbeats applied to the database",
                                          static_cast<double>(c.get(Counter::kAccepted))));
    out.push_back(metrics::labelled_counter_family(
        "octane_heartbeats_dropped_total", "Heartbeats never applied, by reason", "reason",
        values_of(c, {Counter::kOversized, Counter::kTruncated, Counter::kBadHmac,
                      Counter::kBadZlib, Counter::kBadJson, Counter::kBadVersion,
                      Counter::kBadSchema, Counter::kReplayed})));
    out.push_back(metrics::labelled_counter_family(
        "octane_heartbeats_ignored_total",
        "Authentic heartbeats about no live amphora of a live load balancer, by reason", "reason",
        values_of(c, {Counter::kUnknownAmphora, Counter::kInactiveLoadBalancer})));
    out.push_back(metrics::counter_family("octane_heartbeat_storage_errors_total",
                                          "Heartbeats the database refused",
                                          static_cast<double>(c.get(Counter::kStorageErrors))));
    return out;
}

}  // namespace

http::Handler measured(http::Handler inner, metrics::ControllerMetrics& metrics) {
    return [inner = std::move(inner), &metrics](const http::HttpRequest& request) {
        auto started = std::chrono::steady_clock::now();
        http::HttpResponse response = inner(request);
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        metrics.api_request(request.path, request.method, response.status, took.count());
        return response;
    };
}

http::HttpResponse metrics_response(const http::HttpRequest& request,
                                    const metrics::ControllerMetrics& metrics) {
    http::HttpResponse response;
    response.content_type = "text/plain; charset=utf-8";
    if (request.path != "/metrics") {
        response.status = 404;
        response.body = "Not Found: metrics are at /metrics\n";
        return response;
    }
    if (request.method != "GET" && request.method != "HEAD") {
        response.status = 405;
        response.headers.emplace_back("Allow", "GET, HEAD");
        response.body = "Method Not Allowed\n";
        return response;
    }
    response.content_type = "text/plain; version=0.0.4; charset=utf-8";
    response.body = metrics.text();
    return response;
}

void add_controller_sources(metrics::ControllerMetrics& metrics, db::Database& db,
                            std::function<const HealthCounters*()> health,
                            const std::atomic<uint64_t>& direct_failovers) {
    metrics.add_source([&db] {
        std::vector<prometheus::MetricFamily> out;
        auto pending = controller::count_pending_load_balancers(db);
        if (pending) {
            out.push_back(metrics::gauge_family(
                "octane_worker_queue_depth",
                "Load balancers with a pending change (PENDING_*) waiting for or held by a worker",
                static_cast<double>(*pending)));
        } else {
            spdlog::warn("metrics: queue depth not read: {}", pending.error().message);
        }
        return out;
    });
    metrics.add_source([health = std::move(health), &direct_failovers] {
        const HealthCounters* counters = health();
        std::vector<prometheus::MetricFamily> out;
        if (counters != nullptr) {
            out = heartbeat_families(*counters);
        }
        double stale = counters ? static_cast<double>(counters->get(Counter::kFailovers)) : 0;
        out.push_back(metrics::labelled_counter_family(
            "octane_amphora_failovers_total",
            "Amphora failovers requested: by the health manager after heartbeat_timeout of "
            "silence, or at once when a watched agent exited",
            "trigger",
            {{"heartbeat_timeout", stale},
             {"agent_exit", static_cast<double>(direct_failovers.load())}}));
        return out;
    });
}

Result<std::unique_ptr<http::HttpServer>> start_metrics_server(
    const ServiceOptions& options, const metrics::ControllerMetrics& metrics) {
    if (options.metrics_bind_port < 0) {
        return std::unique_ptr<http::HttpServer>();
    }
    http::HttpServerOptions http_options;
    http_options.bind_host = options.metrics_bind_host;
    http_options.bind_port = static_cast<uint16_t>(options.metrics_bind_port);
    http_options.threads = 1;
    http_options.max_connections = 16;  // a few scrapers, not clients
    http_options.max_connections_per_client = 8;
    auto server = std::make_unique<http::HttpServer>(
        http_options,
        [&metrics](const http::HttpRequest& r) { return metrics_response(r, metrics); });
    if (auto started = server->start(); !started) {
        return make_error("metrics listener: " + started.error().message);
    }
    if (auto written = write_port_file(options.state_dir + "/metrics.port", server->port());
        !written) {
        return Unexpected(written.error());
    }
    spdlog::info("metrics at http://{}:{}/metrics", options.metrics_bind_host, server->port());
    return server;
}

}  // namespace octane::service
