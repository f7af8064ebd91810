#include "metrics/controller_metrics.h"

#include <sstream>

#include <prometheus/text_serializer.h>

#include "metrics/request_labels.h"

namespace octane::metrics {
namespace {

// Control-plane calls are a few DB statements: most within milliseconds, a Keystone round trip or
// a slow disk within a second.
const prometheus::Histogram::BucketBoundaries& request_buckets() {
    static const prometheus::Histogram::BucketBoundaries kBuckets{
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    return kBuckets;
}

// A flow boots or reconfigures amphorae: tens of milliseconds locally, up to minutes when a
// driver waits for a VM (Octavia's amp_active_retries default allows 15 minutes).
const prometheus::Histogram::BucketBoundaries& flow_buckets() {
    static const prometheus::Histogram::BucketBoundaries kBuckets{0.05, 0.1, 0.25, 0.5, 1,   2.5, 5,
                                                                  10,   30,  60,   120, 300, 900};
    return kBuckets;
}

prometheus::MetricFamily family(std::string name, std::string help, prometheus::MetricType type) {
    prometheus::MetricFamily f;
    f.name = std::move(name);
    f.help = std::move(help);
    f.type = type;
    return f;
}

}  // namespace

ControllerMetrics::ControllerMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("octane_api_requests_total")
                    .Help("API requests answered, by surface, method and status code")
                    .Register(*registry_)),
      request_seconds_(prometheus::BuildHistogram()
                           .Name("octane_api_request_duration_seconds")
                           .Help("Time from a request's arrival to its answer, by surface")
                           .Register(*registry_)),
      flows_(prometheus::BuildCounter()
                 .Name("octane_worker_flows_total")
                 .Help("Worker flows finished, by kind (create, update, delete) and outcome")
                 .Register(*registry_)),
      flow_seconds_(prometheus::BuildHistogram()
                        .Name("octane_worker_flow_duration_seconds")
                        .Help("Time a worker flow took from claim to final state, by kind")
                        .Register(*registry_)) {}

void ControllerMetrics::api_request(std::string_view path, std::string_view method, int status,
                                    double seconds) {
    std::string surface(surface_of(path));
    requests_
        .Add({{"surface", surface},
              {"method", std::string(method_label(method))},
              {"code", std::to_string(status)}})
        .Increment();
    request_seconds_.Add({{"surface", surface}}, request_buckets()).Observe(seconds);
}

void ControllerMetrics::flow_finished(std::string_view provisioning_status, bool succeeded,
                                      double seconds) {
    std::string flow(flow_label(provisioning_status));
    flows_.Add({{"flow", flow}, {"outcome", succeeded ? "success" : "failure"}}).Increment();
    flow_seconds_.Add({{"flow", flow}}, flow_buckets()).Observe(seconds);
}

void ControllerMetrics::add_source(Source source) {
    std::lock_guard lock(sources_mutex_);
    sources_.push_back(std::move(source));
}

std::string ControllerMetrics::text() const {
    auto families = registry_->Collect();
    {
        std::lock_guard lock(sources_mutex_);
        for (const auto& source : sources_) {
            auto more = source();
            families.insert(families.end(), std::make_move_iterator(more.begin()),
                            std::make_move_iterator(more.end()));
        }
    }
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families);
    return out.str();
}

prometheus::MetricFamily counter_family(std::string name, std::string help, double value) {
    auto f = family(std::move(name), std::move(help), prometheus::MetricType::Counter);
    prometheus::ClientMetric m;
    m.counter.value = value;
    f.metric.push_back(std::move(m));
    return f;
}

prometheus::MetricFamily gauge_family(std::string name, std::string help, double value) {
    auto f = family(std::move(name), std::move(help), prometheus::MetricType::Gauge);
    prometheus::ClientMetric m;
    m.gauge.value = value;
    f.metric.push_back(std::move(m));
    return f;
}

prometheus::MetricFamily labelled_counter_family(
    std::string name, std::string help, const std::string& label,
    const std::vector<std::pair<std::string, double>>& values) {
    auto f = family(std::move(name), std::move(help), prometheus::MetricType::Counter);
    for (const auto& [label_value, value] : values) {
        prometheus::ClientMetric m;
        m.label.push_back({label, label_value});
        m.counter.value = value;
        f.metric.push_back(std::move(m));
    }
    return f;
}

}  // namespace octane::metrics
