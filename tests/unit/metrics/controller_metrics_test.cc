#include "metrics/controller_metrics.h"

#include <string>

#include <gtest/gtest.h>

namespace octane::metrics {
namespace {

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

}  // namespace

TEST(ControllerMetrics, CountsRequestsBySurfaceMethodAndCode) {
    ControllerMetrics m;
    m.api_request("/v2/lbaas/loadbalancers", "GET", 200, 0.002);
    m.api_request("/v2/lbaas/loadbalancers/x", "GET", 200, 0.004);
    m.api_request("/v2/lbaas/loadbalancers/x", "DELETE", 404, 0.001);
    m.api_request("/identity/v3/auth/tokens", "POST", 201, 0.3);
    std::string text = m.text();
    EXPECT_TRUE(has_line(
        text, "octane_api_requests_total{code=\"200\",method=\"GET\",surface=\"load-balancer\"} 2"))
        << text;
    EXPECT_TRUE(has_line(
        text,
        "octane_api_requests_total{code=\"404\",method=\"DELETE\",surface=\"load-balancer\"} 1"))
        << text;
    EXPECT_TRUE(has_line(
        text, "octane_api_requests_total{code=\"201\",method=\"POST\",surface=\"identity\"} 1"))
        << text;
    // Latency: three load-balancer requests, all within 5 ms; the identity one is above 0.25 s.
    EXPECT_TRUE(has_line(
        text,
        "octane_api_request_duration_seconds_bucket{surface=\"load-balancer\",le=\"0.005\"} 3"))
        << text;
    EXPECT_TRUE(has_line(
        text, "octane_api_request_duration_seconds_bucket{surface=\"identity\",le=\"0.25\"} 0"))
        << text;
    EXPECT_TRUE(has_line(text, "octane_api_request_duration_seconds_count{surface=\"identity\"} 1"))
        << text;
    EXPECT_NE(text.find("# TYPE octane_api_requests_total counter"), std::string::npos);
}

TEST(ControllerMetrics, CountsFlowsByKindAndOutcome) {
    ControllerMetrics m;
    m.flow_finished("PENDING_CREATE", true, 0.2);
    m.flow_finished("PENDING_CREATE", false, 3);
    m.flow_finished("PENDING_DELETE", true, 0.07);
    std::string text = m.text();
    EXPECT_TRUE(has_line(text, "octane_worker_flows_total{flow=\"create\",outcome=\"success\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "octane_worker_flows_total{flow=\"create\",outcome=\"failure\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "octane_worker_flows_total{flow=\"delete\",outcome=\"success\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "octane_worker_flow_duration_seconds_count{flow=\"create\"} 2"))
        << text;
}

TEST(ControllerMetrics, SourcesAreReadAtEveryScrape) {
    ControllerMetrics m;
    double depth = 3;
    m.add_source([&depth] {
        return std::vector<prometheus::MetricFamily>{
            gauge_family("octane_worker_queue_depth", "pending", depth),
            labelled_counter_family("octane_amphora_failovers_total", "failovers", "trigger",
                                    {{"agent_exit", 2}, {"heartbeat_timeout", 0}})};
    });
    EXPECT_TRUE(has_line(m.text(), "octane_worker_queue_depth 3"));
    depth = 0;
    std::string text = m.text();
    EXPECT_TRUE(has_line(text, "octane_worker_queue_depth 0")) << text;
    EXPECT_TRUE(has_line(text, "octane_amphora_failovers_total{trigger=\"agent_exit\"} 2")) << text;
    EXPECT_NE(text.find("# TYPE octane_worker_queue_depth gauge"), std::string::npos);
}

}  // namespace octane::metrics
