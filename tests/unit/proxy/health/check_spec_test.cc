#include "proxy/health/check_spec.h"

#include <gtest/gtest.h>

namespace octane::proxy::health {
namespace {

TEST(HttpCheck, RequestCarriesOctaviaHostTrick) {
    config::HttpCheck hc;
    hc.enabled = true;
    hc.method = "GET";
    hc.uri = "/healthz";
    hc.version = "HTTP/1.1";
    hc.extra = "\r\nHost: app.example.com";
    EXPECT_EQ(build_http_check_request(hc),
              "GET /healthz HTTP/1.1\r\nHost: app.example.com\r\nConnection: close\r\n\r\n");
    hc.extra.clear();
    hc.version = "HTTP/1.0";
    EXPECT_EQ(build_http_check_request(hc), "GET /healthz HTTP/1.0\r\nConnection: close\r\n\r\n");
}

TEST(HttpCheck, ExpectRules) {
    struct Case {
        const char* kind;
        const char* value;
        bool negate;
        int status;
        bool pass;
    };
    const Case cases[] = {
        {"", "", false, 200, true},
        {"", "", false, 302, true},
        {"", "", false, 404, false},
        {"", "", false, 500, false},
        {"status", "204", false, 204, true},
        {"status", "204", false, 200, false},
        {"rstatus", "204|202|203|200|201", false, 201, true},
        {"rstatus", "204|202|203|200|201", false, 404, false},
        {"rstatus", "^2", true, 200, false},
        {"rstatus", "^2", true, 500, true},
    };
    for (const auto& c : cases) {
        config::HttpCheck hc;
        hc.expect_set = c.kind[0] != '\0';
        hc.expect_kind = c.kind;
        hc.expect_value = c.value;
        hc.expect_negate = c.negate;
        HttpExpect e;
        std::string err;
        ASSERT_TRUE(e.init(hc, &err)) << err;
        EXPECT_EQ(e.passes(c.status, ""), c.pass) << c.kind << " " << c.value << " " << c.status;
    }
}

TEST(HttpCheck, StatusLine) {
    bool bad = false;
    EXPECT_EQ(parse_status_line("HTTP/1.1 204 No Content\r\n", &bad), 204);
    EXPECT_EQ(parse_status_line("HTTP/1.1 20", &bad), -1);
    EXPECT_FALSE(bad);
    EXPECT_EQ(parse_status_line("SSH-2.0-OpenSSH\r\n", &bad), -1);
    EXPECT_TRUE(bad);
}

}  // namespace
}  // namespace octane::proxy::health
