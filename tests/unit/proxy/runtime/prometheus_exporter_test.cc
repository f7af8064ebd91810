#include "proxy/runtime/prometheus_exporter.h"

#include <string>

#include <gtest/gtest.h>

#include "proxy/config/parser.h"

namespace octane::proxy {
namespace {

std::unique_ptr<Snapshot> snapshot_of(const std::string& text) {
    auto out = config::parse_config({config::SourceFile{"t.cfg", text}});
    EXPECT_TRUE(out.diag.ok());
    return build_snapshot(std::move(out.config), 100);
}

bool has_line(const std::string& text, const std::string& line) {
    return text.find("\n" + line + "\n") != std::string::npos;
}

TEST(PrometheusExporter, NamesLabelsAndTypesAsHaproxysExporter) {
    auto snap = snapshot_of(
        "frontend web\n mode http\n bind 127.0.0.1:1\n default_backend pool\n"
        "backend pool\n mode http\n server a 127.0.0.1:2 check\n server b 127.0.0.1:3\n"
        " server c 127.0.0.1:4 disabled\n"
        "frontend ssh\n mode tcp\n bind 127.0.0.1:5\n default_backend tcppool\n"
        "backend tcppool\n mode tcp\n server d 127.0.0.1:6\n");
    snap->frontends[0]->counters.stot.store(7);
    snap->frontends[0]->counters.hrsp[1].store(5);
    snap->frontends[0]->counters.hrsp[3].store(2);
    ProcessInfo info;
    info.nbthread = 2;
    info.maxconn = 100;
    std::string text = render_prometheus(*snap, info);

    EXPECT_TRUE(has_line(text, "haproxy_process_nbthread 2")) << text;
    EXPECT_TRUE(has_line(text, "haproxy_process_max_connections 100")) << text;
    EXPECT_TRUE(has_line(text, "# TYPE haproxy_frontend_sessions_total counter")) << text;
    EXPECT_TRUE(has_line(text, "haproxy_frontend_sessions_total{proxy=\"web\"} 7")) << text;
    EXPECT_TRUE(has_line(text, "# TYPE haproxy_frontend_current_sessions gauge")) << text;
    EXPECT_TRUE(has_line(text, "haproxy_frontend_status{proxy=\"web\",state=\"UP\"} 1")) << text;
    EXPECT_TRUE(has_line(text, "haproxy_frontend_status{proxy=\"web\",state=\"DOWN\"} 0")) << text;
    EXPECT_TRUE(
        has_line(text, "haproxy_frontend_http_responses_total{proxy=\"web\",code=\"2xx\"} 5"))
        << text;
    EXPECT_TRUE(
        has_line(text, "haproxy_frontend_http_responses_total{proxy=\"web\",code=\"4xx\"} 2"))
        << text;
    // HTTP-only families skip TCP proxies, as promex does.
    EXPECT_EQ(text.find("haproxy_frontend_http_responses_total{proxy=\"ssh\""), std::string::npos);
    EXPECT_EQ(text.find("haproxy_frontend_http_requests_total{proxy=\"ssh\""), std::string::npos);
    EXPECT_TRUE(has_line(text, "haproxy_frontend_sessions_total{proxy=\"ssh\"} 0")) << text;
    // Servers: one sample per state; "UP 1/3" (checked, not yet confirmed) is UP, a disabled
    // server is MAINT, one without check is UP.
    EXPECT_TRUE(has_line(text, "haproxy_server_status{proxy=\"pool\",server=\"a\",state=\"UP\"} 1"))
        << text;
    EXPECT_TRUE(
        has_line(text, "haproxy_server_status{proxy=\"pool\",server=\"c\",state=\"MAINT\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "haproxy_server_status{proxy=\"pool\",server=\"c\",state=\"UP\"} 0"))
        << text;
    EXPECT_TRUE(
        has_line(text, "haproxy_server_status{proxy=\"tcppool\",server=\"d\",state=\"UP\"} 1"))
        << text;
    EXPECT_TRUE(has_line(text, "haproxy_backend_active_servers{proxy=\"pool\"} 2")) << text;
    EXPECT_TRUE(has_line(text, "haproxy_server_weight{proxy=\"pool\",server=\"b\"} 1")) << text;
    // Each family's HELP/TYPE appears once, before its samples.
    size_t type = text.find("# TYPE haproxy_server_status gauge");
    ASSERT_NE(type, std::string::npos);
    EXPECT_EQ(text.find("# TYPE haproxy_server_status gauge", type + 1), std::string::npos);
    EXPECT_LT(type, text.find("haproxy_server_status{"));
}

TEST(PrometheusExporter, LabelValuesAreEscaped) {
    auto snap = snapshot_of(
        "frontend \"we\\\"b\"\n bind 127.0.0.1:1\n default_backend b\n"
        "backend b\n server s 127.0.0.1:2\n");
    std::string text = render_prometheus(*snap, ProcessInfo{});
    EXPECT_NE(text.find("haproxy_frontend_sessions_total{proxy=\"we\\\"b\"} 0"), std::string::npos)
        << text;
}

}  // namespace
}  // namespace octane::proxy
