#pragma once

// What an operator scrapes from a controller process (GET /metrics on the metrics port, Prometheus
// text format 0.0.4): API requests by surface, method and status code with their latency, worker
// flows by kind and outcome with their duration, and families computed at scrape time from state
// kept elsewhere (the health manager's heartbeat counters, the worker's queue depth, failovers).
// Counting is thread-safe: the API's threads, the worker's and the health manager's all report.

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

namespace octane::metrics {

using Source = std::function<std::vector<prometheus::MetricFamily>()>;

class ControllerMetrics {
  public:
    ControllerMetrics();
    ControllerMetrics(const ControllerMetrics&) = delete;
    ControllerMetrics& operator=(const ControllerMetrics&) = delete;

    void api_request(std::string_view path, std::string_view method, int status, double seconds);
    // `provisioning_status`: the state the flow started from (PENDING_CREATE, ...).
    void flow_finished(std::string_view provisioning_status, bool succeeded, double seconds);
    // Families another part keeps the numbers of; called on every scrape, so keep them cheap.
    void add_source(Source source);

    // The exposition text of everything registered and every source.
    std::string text() const;

  private:
    std::shared_ptr<prometheus::Registry> registry_;
    prometheus::Family<prometheus::Counter>& requests_;
    prometheus::Family<prometheus::Histogram>& request_seconds_;
    prometheus::Family<prometheus::Counter>& flows_;
    prometheus::Family<prometheus::Histogram>& flow_seconds_;
    mutable std::mutex sources_mutex_;
    std::vector<Source> sources_;
};

// One family of a single counter/gauge sample or of one sample per label value, for sources.
prometheus::MetricFamily counter_family(std::string name, std::string help, double value);
prometheus::MetricFamily gauge_family(std::string name, std::string help, double value);
prometheus::MetricFamily labelled_counter_family(
    std::string name, std::string help, const std::string& label,
    const std::vector<std::pair<std::string, double>>& values);

}  // namespace octane::metrics
