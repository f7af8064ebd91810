// Every file Octavia renders (tests/testdata/haproxy-corpus) parses, TLS ones included.

#include <filesystem>

#include <gtest/gtest.h>

#include "proxy/config/parser.h"

namespace octane::proxy::config {
namespace {

TEST(Corpus, EveryRenderedFileParses) {
    int seen = 0;
    for (const auto& entry : std::filesystem::directory_iterator(OCTANE_PROXY_CORPUS_DIR)) {
        if (entry.path().extension() != ".cfg") {
            continue;
        }
        ++seen;
        std::string name = entry.path().filename().string();
        auto out = parse_config_files({entry.path().string()});
        EXPECT_TRUE(out.diag.ok())
            << name << ": " << (out.diag.errors().empty() ? "" : out.diag.errors()[0]);
        if (name != "lb_admin_down.cfg") {  // an admin-down LB renders no proxies at all
            EXPECT_FALSE(out.config.proxies.empty()) << name;
        }
    }
    EXPECT_EQ(seen, 31);
}

TEST(Corpus, SeedFileModelMatchesText) {
    auto out =
        parse_config_files({std::string(OCTANE_PROXY_CORPUS_DIR) + "/seed_tcp_roundrobin.cfg"});
    ASSERT_TRUE(out.diag.ok());
    const Config& c = out.config;
    EXPECT_EQ(c.global.maxconn, 50000);
    EXPECT_TRUE(c.global.daemon);
    ASSERT_EQ(c.global.stats_sockets.size(), 1u);
    EXPECT_EQ(c.global.stats_sockets[0].mode, 0666u);
    ASSERT_EQ(c.proxies.size(), 2u);
    const ProxySection& fe = c.proxies[0];
    EXPECT_EQ(fe.kind, SectionKind::kFrontend);
    EXPECT_EQ(fe.maxconn, 50000);
    EXPECT_EQ(fe.binds.at(0).endpoint.to_string(), "192.168.101.219:22");
    EXPECT_EQ(fe.timeouts.client->count(), 50000);
    EXPECT_EQ(fe.log_format.substr(0, 33), "bccf406c045d401b91ba5c7552a124ae ");
    const ProxySection& be = c.proxies[1];
    EXPECT_EQ(be.kind, SectionKind::kBackend);
    EXPECT_TRUE(be.redispatch);  // inherited from defaults
    EXPECT_EQ(be.retries, 3);
    EXPECT_TRUE(be.allbackups);
    EXPECT_EQ(be.timeouts.connect->count(), 5000);
    ASSERT_EQ(be.servers.size(), 2u);
    EXPECT_EQ(be.servers[1].endpoint.to_string(), "192.168.101.88:22");
}

TEST(Corpus, HealthMonitorAndMemberOptions) {
    auto out = parse_config_files({std::string(OCTANE_PROXY_CORPUS_DIR) + "/hm_http_full.cfg"});
    ASSERT_TRUE(out.diag.ok());
    const ProxySection* be = nullptr;
    for (const auto& p : out.config.proxies) {
        if (p.kind == SectionKind::kBackend) {
            be = &p;
        }
    }
    ASSERT_NE(be, nullptr);
    EXPECT_TRUE(be->httpchk.enabled);
    EXPECT_EQ(be->httpchk.method, "GET");
    EXPECT_EQ(be->httpchk.uri, "/healthz");
    EXPECT_EQ(be->httpchk.version, "HTTP/1.1");
    EXPECT_EQ(be->httpchk.extra, "\r\nHost: app.example.com");
    EXPECT_EQ(be->httpchk.expect_kind, "rstatus");
    EXPECT_EQ(be->timeouts.check->count(), 4000);
    EXPECT_EQ(be->servers[0].inter.count(), 10000);
    EXPECT_EQ(be->servers[0].fall, 5);
    EXPECT_EQ(be->servers[0].rise, 2);
}

}  // namespace
}  // namespace octane::proxy::config
