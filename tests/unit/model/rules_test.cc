#include "model/rules.h"

#include <gtest/gtest.h>

namespace octane::model {
namespace {

using nlohmann::json;

TEST(PoolProtocol, FollowsOctaviasMap) {
    struct Case {
        const char* listener;
        const char* pool;
        bool allowed;
    } cases[] = {
        {"TCP", "HTTP", true},   {"TCP", "UDP", false},  {"HTTP", "TCP", false},
        {"HTTP", "PROXY", true}, {"HTTPS", "TCP", true}, {"TERMINATED_HTTPS", "HTTP", true},
        {"UDP", "UDP", true},    {"UDP", "TCP", false},  {"PROMETHEUS", "HTTP", false}};
    for (const auto& c : cases) {
        EXPECT_EQ(pool_protocol_allowed(c.listener, c.pool), c.allowed)
            << c.listener << "/" << c.pool;
    }
    auto bad = check_pool_protocol("HTTP", "TCP");
    ASSERT_FALSE(bad.has_value());
    EXPECT_EQ(bad.error().message,
              "Validation failure: The pool protocol 'TCP' is invalid while the listener protocol "
              "is 'HTTP'.");
}

TEST(L4Protocol, UdpAndTcpPortsAreSeparate) {
    EXPECT_EQ(l4_protocol_of("HTTP"), "TCP");
    EXPECT_EQ(l4_protocol_of("TERMINATED_HTTPS"), "TCP");
    EXPECT_EQ(l4_protocol_of("UDP"), "UDP");
}

TEST(Listener, InsertHeadersOnlyOnHttp) {
    auto tcp =
        check_listener({{"protocol", "TCP"}, {"insert_headers", {{"X-Forwarded-For", "true"}}}});
    ASSERT_FALSE(tcp.has_value());
    EXPECT_EQ(tcp.error().message,
              "insert-headers is not a valid option for a TCP protocol listener.");
    EXPECT_TRUE(
        check_listener({{"protocol", "HTTP"}, {"insert_headers", {{"X-Forwarded-For", "true"}}}})
            .has_value());
    EXPECT_FALSE(check_listener({{"protocol", "HTTP"}, {"insert_headers", {{"X-Bogus", "true"}}}})
                     .has_value());
}

TEST(Listener, TerminatedHttpsNeedsACertificate) {
    auto result = check_listener({{"protocol", "TERMINATED_HTTPS"}});
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().status, 400);
}

TEST(SessionPersistence, AppCookieNeedsCookieName) {
    auto result = normalize_session_persistence({{"type", "APP_COOKIE"}}, "HTTP", nullptr);
    ASSERT_FALSE(result.has_value());
    EXPECT_EQ(result.error().message,
              "Validation failure: Field \"cookie_name\" must be specified when using the "
              "\"APP_COOKIE\" session persistence type.");
    auto ok = normalize_session_persistence({{"type", "APP_COOKIE"}, {"cookie_name", "sid"}},
                                            "HTTP", nullptr);
    ASSERT_TRUE(ok.has_value());
    EXPECT_EQ((*ok)["persistence_timeout"], nullptr);
    EXPECT_EQ(ok->size(), 4u);
}

TEST(SessionPersistence, UdpOnlySourceIp) {
    EXPECT_FALSE(
        normalize_session_persistence({{"type", "HTTP_COOKIE"}}, "UDP", nullptr).has_value());
    EXPECT_TRUE(normalize_session_persistence({{"type", "SOURCE_IP"}, {"persistence_timeout", 30}},
                                              "UDP", nullptr)
                    .has_value());
    EXPECT_FALSE(normalize_session_persistence({{"type", "SOURCE_IP"}, {"persistence_timeout", 30}},
                                               "TCP", nullptr)
                     .has_value());
}

TEST(HealthMonitor, TypeMustSuitThePool) {
    EXPECT_FALSE(check_health_monitor({{"type", "UDP-CONNECT"}}, "TCP").has_value());
    EXPECT_FALSE(check_health_monitor({{"type", "HTTPS"}}, "UDP").has_value());
    EXPECT_TRUE(check_health_monitor({{"type", "HTTP"}, {"delay", 5}}, "UDP").has_value());
    auto http_field = check_health_monitor({{"type", "TCP"}, {"url_path", "/x"}}, "TCP");
    ASSERT_FALSE(http_field.has_value());
    EXPECT_EQ(http_field.error().message,
              "url_path is not a valid option for health monitors of type TCP");
}

TEST(HealthMonitor, ExpectedCodes) {
    for (const char* ok : {"200", "200, 202", "200-204"}) {
        EXPECT_TRUE(
            check_health_monitor({{"type", "HTTP"}, {"expected_codes", ok}}, "HTTP").has_value())
            << ok;
    }
    for (const char* bad : {"20", "200-", "abc", "200,2000"}) {
        EXPECT_FALSE(
            check_health_monitor({{"type", "HTTP"}, {"expected_codes", bad}}, "HTTP").has_value())
            << bad;
    }
}

TEST(HealthMonitor, HttpDefaults) {
    json hm = {{"type", "HTTP"}};
    fill_health_monitor_defaults(hm);
    EXPECT_EQ(hm["http_method"], "GET");
    EXPECT_EQ(hm["url_path"], "/");
    EXPECT_EQ(hm["expected_codes"], "200");
    json tcp = {{"type", "TCP"}};
    fill_health_monitor_defaults(tcp);
    EXPECT_FALSE(tcp.contains("http_method"));
}

TEST(L7Policy, ActionArguments) {
    json policy = {{"action", "REDIRECT_TO_URL"}, {"redirect_url", nullptr}};
    auto missing = normalize_l7policy(policy, false, policy);
    ASSERT_FALSE(missing.has_value());
    EXPECT_EQ(missing.error().message,
              "Invalid L7 Policy arguments: redirect_url must not be None");
    json url = {{"action", "REDIRECT_TO_URL"},
                {"redirect_url", "http://x"},
                {"redirect_pool_id", nullptr},
                {"redirect_http_code", nullptr}};
    ASSERT_TRUE(normalize_l7policy(url, false, url).has_value());
    EXPECT_EQ(url["redirect_http_code"], 302);
    json reject = {{"action", "REJECT"}, {"redirect_http_code", 301}};
    ASSERT_TRUE(normalize_l7policy(reject, false, reject).has_value());
    EXPECT_TRUE(reject["redirect_http_code"].is_null());
}

TEST(L7Policy, UpdateWithRedirectFieldSwitchesAction) {
    json policy = {{"action", "REJECT"}, {"redirect_prefix", "https://example.com"}};
    json update = {{"redirect_prefix", "https://example.com"}};
    ASSERT_TRUE(normalize_l7policy(policy, true, update).has_value());
    EXPECT_EQ(policy["action"], "REDIRECT_PREFIX");
}

TEST(L7Rule, Table) {
    struct Case {
        json rule;
        bool ok;
    } cases[] = {
        {{{"type", "PATH"}, {"compare_type", "STARTS_WITH"}, {"value", "/api"}}, true},
        {{{"type", "PATH"}, {"compare_type", "REGEX"}, {"value", "(["}}, false},
        {{{"type", "HEADER"}, {"compare_type", "EQUAL_TO"}, {"value", "x"}}, false},
        {{{"type", "HEADER"}, {"compare_type", "EQUAL_TO"}, {"key", "X-Foo"}, {"value", "x"}},
         true},
        {{{"type", "FILE_TYPE"}, {"compare_type", "CONTAINS"}, {"value", "jpg"}}, false},
        {{{"type", "SSL_CONN_HAS_CERT"}, {"compare_type", "EQUAL_TO"}, {"value", "True"}}, true},
        {{{"type", "SSL_CONN_HAS_CERT"}, {"compare_type", "EQUAL_TO"}, {"value", "no"}}, false},
        {{{"type", "SSL_VERIFY_RESULT"}, {"compare_type", "EQUAL_TO"}, {"value", "12"}}, true},
        {{{"type", "SSL_DN_FIELD"}, {"compare_type", "EQUAL_TO"}, {"key", "1CN"}, {"value", "x"}},
         false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(check_l7rule(c.rule).has_value(), c.ok) << c.rule.dump();
    }
}

TEST(AllowedCidrs, NeedAVipOfTheirVersion) {
    std::vector<std::string> v4 = {"198.51.100.1"};
    std::vector<std::string> both = {"198.51.100.1", "2001:db8::1"};
    EXPECT_TRUE(check_cidrs_match_vips(json::array({"10.0.0.0/8"}), v4).has_value());
    EXPECT_TRUE(check_cidrs_match_vips(json(nullptr), v4).has_value());
    EXPECT_TRUE(check_cidrs_match_vips(json::array({"10.0.0.0/8", "2000::/6"}), both).has_value());
    auto refused = check_cidrs_match_vips(json::array({"10.0.0.0/8", "2000::/6"}), v4);
    ASSERT_FALSE(refused.has_value());
    EXPECT_EQ(refused.error().status, 400);
    EXPECT_EQ(refused.error().message,
              "Validation failure: CIDR 2000::/6 IP version incompatible with all VIPs "
              "['198.51.100.1'] IP version.");
    auto two = check_cidrs_match_vips(json::array({"10.0.0.0/8"}), {"2001:db8::1", "2001:db8::2"});
    ASSERT_FALSE(two.has_value());
    EXPECT_NE(two.error().message.find("VIPs ['2001:db8::1', '2001:db8::2']"), std::string::npos);
}

// Octavia's header, cookie and comparison value patterns (octavia/common/constants.py).
TEST(L7RuleValues, FollowOctaviasPatterns) {
    auto rule = [](const char* type, const char* value, const char* key = nullptr) {
        json r = {{"type", type}, {"compare_type", "EQUAL_TO"}, {"value", value}};
        if (key) {
            r["key"] = key;
        }
        return check_l7rule(r);
    };
    EXPECT_TRUE(rule("HEADER", "a\"b,c;d\\e#f", "X-A").has_value());
    EXPECT_TRUE(rule("HEADER", "\"quoted with space\tand tab\"", "X-A").has_value());
    EXPECT_FALSE(rule("HEADER", "a b", "X-A").has_value());
    EXPECT_FALSE(rule("HEADER", "\"a\nb\"", "X-A").has_value());
    EXPECT_TRUE(rule("COOKIE", "a,b#c'", "s").has_value());
    EXPECT_FALSE(rule("COOKIE", "a;b", "s").has_value());
    EXPECT_FALSE(rule("COOKIE", "a\"b", "s").has_value());
    EXPECT_TRUE(rule("FILE_TYPE", "jpg").has_value());
    EXPECT_FALSE(rule("FILE_TYPE", "j pg").has_value());
    auto bad_key = rule("HEADER", "x", "X,A");
    ASSERT_FALSE(bad_key.has_value());
    EXPECT_EQ(bad_key.error().message, "Error parsing L7Rule: Invalid characters in key");
    EXPECT_EQ(rule("COOKIE", "a;b", "s").error().message,
              "Error parsing L7Rule: Invalid characters in cookie value");
}

}  // namespace
}  // namespace octane::model
