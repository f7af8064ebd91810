// Renderer branches the corpus does not cover: PENDING_DELETE omission, TLS material, HSTS,
// version switches, escaping and the refusal of values that would break out of a directive.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "render/escape.h"
#include "render/expected_codes.h"
#include "render/haproxy_config.h"
#include "render/tls_files.h"

namespace octane::render {
namespace {

using json = nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

json member(const std::string& id, const std::string& address) {
    return {{"id", id}, {"address", address}, {"protocol_port", 8080}};
}

// LB "lb1" with HTTP listener "l1" on :80 whose default pool "p1" has members m1, m2.
json base_graph() {
    return {
        {"id", "lb1"},
        {"project_id", "proj"},
        {"vip_address", "10.0.0.10"},
        {"listeners",
         {{{"id", "l1"}, {"protocol", "HTTP"}, {"protocol_port", 80}, {"default_pool_id", "p1"}}}},
        {"pools",
         {{{"id", "p1"},
           {"protocol", "HTTP"},
           {"lb_algorithm", "ROUND_ROBIN"},
           {"members", {member("m1", "10.0.1.1"), member("m2", "10.0.1.2")}}}}}};
}

std::string render(const json& graph, const RenderContext& ctx = {}) {
    auto out = render_haproxy_cfg(graph, ctx);
    EXPECT_TRUE(out.has_value()) << out.error().message;
    return out ? *out : "";
}

std::string render_error(const json& graph, const RenderContext& ctx = {}) {
    auto out = render_haproxy_cfg(graph, ctx);
    EXPECT_FALSE(out.has_value());
    return out ? "" : out.error().message;
}

TEST(RenderBranches, PendingDeleteObjectsAreOmitted) {
    json g = base_graph();
    g["pools"][0]["members"][1]["provisioning_status"] = "PENDING_DELETE";
    g["listeners"].push_back({{"id", "l2"},
                              {"protocol", "TCP"},
                              {"protocol_port", 81},
                              {"provisioning_status", "PENDING_DELETE"}});
    std::string cfg = render(g);
    EXPECT_THAT(cfg, HasSubstr("server m1 10.0.1.1:8080 weight 1\n"));
    EXPECT_THAT(cfg, Not(HasSubstr("server m2")));
    EXPECT_THAT(cfg, Not(HasSubstr("frontend l2")));
    EXPECT_THAT(cfg, HasSubstr("    maxconn 50000\n\ndefaults"));  // l2 not counted

    g["pools"][0]["provisioning_status"] = "PENDING_DELETE";
    cfg = render(g);
    EXPECT_THAT(cfg, Not(HasSubstr("default_backend")));
    EXPECT_THAT(cfg, Not(HasSubstr("backend p1")));
}

TEST(RenderBranches, PendingDeleteMonitorMeansNoChecks) {
    json g = base_graph();
    g["pools"][0]["healthmonitor"] = {
        {"id", "hm"},   {"type", "TCP"},    {"delay", 2},
        {"timeout", 1}, {"max_retries", 2}, {"provisioning_status", "PENDING_DELETE"}};
    EXPECT_THAT(render(g), Not(HasSubstr("check")));
    g["pools"][0]["healthmonitor"]["provisioning_status"] = "ACTIVE";
    EXPECT_THAT(render(g),
                HasSubstr("server m1 10.0.1.1:8080 weight 1 check inter 2s fall 3 rise 2"));
}

TEST(RenderBranches, UdpListenersAreLeftToKeepalived) {
    json g = base_graph();
    g["listeners"].push_back({{"id", "u1"}, {"protocol", "UDP"}, {"protocol_port", 53}});
    std::string cfg = render(g);
    EXPECT_THAT(cfg, Not(HasSubstr("u1")));
    EXPECT_THAT(cfg, HasSubstr("    maxconn 50000\n"));
}

// SOURCE_IP_PORT is Octane's own (Octavia's amphora provider refuses it): a hash of
// "<address>:<port>", the port set in a variable by a rule of the backend's mode.
TEST(RenderBranches, SourceIpPortHashesAddressAndPort) {
    json g = base_graph();
    g["pools"][0]["lb_algorithm"] = "SOURCE_IP_PORT";
    g["listeners"].push_back(
        {{"id", "l2"}, {"protocol", "TCP"}, {"protocol_port", 81}, {"default_pool_id", "p2"}});
    g["pools"].push_back({{"id", "p2"},
                          {"protocol", "PROXY"},
                          {"lb_algorithm", "SOURCE_IP_PORT"},
                          {"members", {member("m3", "10.0.1.3")}}});
    std::string cfg = render(g);
    EXPECT_THAT(cfg, HasSubstr("backend p1:l1\n    mode http\n    http-reuse safe\n"
                               "    http-request set-var(txn.src_port) src_port\n"
                               "    balance hash src,concat(:,txn.src_port)\n"));
    EXPECT_THAT(cfg, HasSubstr("backend p2:l2\n    mode tcp\n"
                               "    tcp-request content set-var(txn.src_port) src_port\n"
                               "    balance hash src,concat(:,txn.src_port)\n"));
    g["pools"][0]["lb_algorithm"] = "SOURCE_IP";
    EXPECT_THAT(render(g), HasSubstr("backend p1:l1\n    mode http\n    http-reuse safe\n"
                                     "    balance source\n"));
}

TEST(RenderBranches, TerminatedHttpsWithClientCaCrlAndHsts) {
    json g = base_graph();
    json& l = g["listeners"][0];
    l["protocol"] = "TERMINATED_HTTPS";
    l["protocol_port"] = 443;
    l["default_tls_container_ref"] = "ref-cert";
    l["client_ca_tls_container_ref"] = "ref-ca";
    l["client_crl_container_ref"] = "ref-crl";
    l["client_authentication"] = "MANDATORY";
    l["tls_ciphers"] = "ECDHE-RSA-AES128-GCM-SHA256";
    l["tls_versions"] = {"TLSv1.3"};
    l["alpn_protocols"] = {"h2"};
    l["hsts_max_age"] = 31536000;
    l["hsts_include_subdomains"] = true;
    l["insert_headers"] = {{"X-SSL-Client-CN", "True"}, {"X-Forwarded-Proto", "true"}};
    RenderContext ctx;
    ctx.secret_files = {{"ref-ca", "ca.pem"}, {"ref-crl", "crl.pem"}};
    std::string cfg = render(g, ctx);
    EXPECT_THAT(cfg, HasSubstr("    redirect scheme https if !{ ssl_fc }\n"
                               "    http-response set-header Strict-Transport-Security "
                               "\"max-age=31536000; includeSubDomains;\"\n"));
    EXPECT_THAT(cfg, HasSubstr("    bind 10.0.0.10:443 ssl crt-list "
                               "/var/lib/octavia/certs/lb1/l1.pem ca-file "
                               "/var/lib/octavia/certs/lb1/ca.pem verify required crl-file "
                               "/var/lib/octavia/certs/lb1/crl.pem ciphers "
                               "ECDHE-RSA-AES128-GCM-SHA256 no-sslv3 no-tlsv10 no-tlsv11 "
                               "no-tlsv12 alpn h2\n"));
    EXPECT_THAT(cfg, HasSubstr("    http-request set-header X-Forwarded-Proto https\n"
                               "    http-request set-header X-SSL-Client-CN "
                               "%{+Q}[ssl_c_s_dn(cn)]\n"));

    ctx.secret_files.clear();
    EXPECT_THAT(render_error(g, ctx), HasSubstr("no uploaded file for ref-ca"));
}

TEST(RenderBranches, ReencryptingPoolWithClientCertCaCrlAndCheckAlpn) {
    json g = base_graph();
    json& p = g["pools"][0];
    p["tls_enabled"] = true;
    p["tls_container_ref"] = "ref-client";
    p["ca_tls_container_ref"] = "ref-ca";
    p["crl_container_ref"] = "ref-crl";
    p["tls_versions"] = {"TLSv1.2", "TLSv1.3"};
    p["alpn_protocols"] = {"http/1.1"};
    p["healthmonitor"] = {
        {"id", "hm"}, {"type", "HTTPS"}, {"delay", 5}, {"timeout", 3}, {"max_retries", 2}};
    RenderContext ctx;
    ctx.secret_files = {{"ref-client", "c.pem"}, {"ref-ca", "ca.pem"}, {"ref-crl", "crl.pem"}};
    EXPECT_THAT(render(g, ctx),
                HasSubstr("    server m1 10.0.1.1:8080 weight 1 check check-ssl verify none "
                          "check-alpn http/1.1 inter 5s fall 3 rise 2 ssl crt "
                          "/var/lib/octavia/certs/lb1/c.pem ca-file "
                          "/var/lib/octavia/certs/lb1/ca.pem crl-file "
                          "/var/lib/octavia/certs/lb1/crl.pem verify required sni ssl_fc_sni "
                          "no-sslv3 no-tlsv10 no-tlsv11 alpn http/1.1\n"));
}

TEST(RenderBranches, ProxyV2BehindTlsListenerSendsSslCn) {
    json g = base_graph();
    g["listeners"][0]["protocol"] = "TERMINATED_HTTPS";
    g["pools"][0]["protocol"] = "PROXYV2";
    std::string cfg = render(g);
    EXPECT_THAT(cfg, HasSubstr("weight 1 send-proxy-v2-ssl-cn\n"));
    EXPECT_THAT(cfg, HasSubstr("backend p1:l1\n    mode http\n    http-reuse safe\n"));
}

TEST(RenderBranches, L7RulesOrderingAndEscaping) {
    json g = base_graph();
    json rules = {{{"id", "r1"},
                   {"type", "SSL_DN_FIELD"},
                   {"compare_type", "ENDS_WITH"},
                   {"key", "CN"},
                   {"value", "a b\\c'<&>"}},
                  {{"id", "r2"},
                   {"type", "SSL_VERIFY_RESULT"},
                   {"compare_type", "EQUAL_TO"},
                   {"value", "0"},
                   {"invert", true}},
                  {{"id", "r3"},
                   {"type", "SSL_CONN_HAS_CERT"},
                   {"compare_type", "EQUAL_TO"},
                   {"value", "true"}},
                  {{"id", "r4"},
                   {"type", "PATH"},
                   {"compare_type", "EQUAL_TO"},
                   {"value", "/x"},
                   {"admin_state_up", false}}};
    g["listeners"][0]["l7policies"] = {
        {{"id", "late"},
         {"action", "REJECT"},
         {"position", 2},
         {"rules",
          {{{"id", "r9"}, {"type", "PATH"}, {"compare_type", "REGEX"}, {"value", "^/z"}}}}},
        {{"id", "early"},
         {"action", "REDIRECT_TO_URL"},
         {"position", 1},
         {"redirect_url", "https://x.example/?a=1&b=2"},
         {"redirect_http_code", 308},
         {"rules", rules}}};
    EXPECT_THAT(render(g), HasSubstr("    mode http\n"
                                     "        acl r1 ssl_c_s_dn(CN) -m end a\\ b\\\\c\\'<&>\n"
                                     "        acl r2 ssl_c_verify eq 0\n"
                                     "        acl r3 ssl_c_used\n"
                                     "    redirect code 308 location https://x.example/?a=1&b=2 "
                                     "if r1 !r2 r3\n"
                                     "        acl r9 path -m reg ^/z\n"
                                     "    http-request deny if r9\n"
                                     "    default_backend p1:l1\n"));
}

TEST(RenderBranches, RefusesValuesThatWouldInjectDirectives) {
    json g = base_graph();
    g["listeners"][0]["l7policies"] = {
        {{"id", "p"},
         {"action", "REDIRECT_PREFIX"},
         {"redirect_prefix", "http://a\n    bind *:1"},
         {"rules",
          {{{"id", "r"}, {"type", "PATH"}, {"compare_type", "EQUAL_TO"}, {"value", "/"}}}}}};
    EXPECT_THAT(render_error(g), HasSubstr("l7policy.redirect_prefix"));

    g = base_graph();
    g["pools"][0]["session_persistence"] = {{"type", "APP_COOKIE"}, {"cookie_name", "a b"}};
    EXPECT_THAT(render_error(g), HasSubstr("cookie_name"));

    g = base_graph();
    g["pools"][0]["members"][0]["address"] = "10.0.0.1 backup";
    EXPECT_THAT(render_error(g), HasSubstr("member.address"));
}

TEST(RenderBranches, GlobalMaxconnIsCappedAndZeroLimitMeansDefault) {
    json g = base_graph();
    g["listeners"][0]["connection_limit"] = 0;
    for (int i = 0; i < 20; ++i) {
        g["listeners"].push_back(
            {{"id", "t" + std::to_string(i)}, {"protocol", "TCP"}, {"protocol_port", 1000 + i}});
    }
    std::string cfg = render(g);
    EXPECT_THAT(cfg, HasSubstr("    maxconn 1000000\n"));
    EXPECT_THAT(cfg, HasSubstr("frontend l1\n    maxconn 50000\n"));
}

TEST(RenderBranches, ContextSwitches) {
    json g = base_graph();
    g["pools"][0]["healthmonitor"] = {
        {"id", "hm"}, {"type", "PING"}, {"delay", 5}, {"timeout", 3}, {"max_retries", 3}};
    RenderContext ctx;
    ctx.connection_logging = false;
    ctx.group = "haproxy";
    ctx.base_dir = "/srv/amp";
    ctx.haproxy_major = 2;
    ctx.haproxy_minor = 0;
    std::string cfg = render(g, ctx);
    EXPECT_THAT(cfg, HasSubstr("    user nobody\n    group haproxy\n"));
    EXPECT_THAT(cfg, HasSubstr("defaults\n    no log\n"));
    EXPECT_THAT(cfg, Not(HasSubstr("log-format")));
    EXPECT_THAT(cfg, HasSubstr("    external-check\n\n"));  // no insecure-fork-wanted before 2.2
    EXPECT_THAT(cfg, HasSubstr("external-check command /srv/amp/ping-wrapper.sh\n"));
    EXPECT_THAT(cfg, HasSubstr("stats socket /srv/amp/lb1.sock mode 0666 level user\n"));
    ctx.stats_socket = "/run/o/1.sock";
    ctx.server_state_file = "/srv/amp/state";
    cfg = render(g, ctx);
    EXPECT_THAT(cfg, HasSubstr("stats socket /run/o/1.sock mode 0666 level user\n"
                               "    server-state-file /srv/amp/state\n"));
    ctx.haproxy_major = 1;
    ctx.haproxy_minor = 5;
    EXPECT_THAT(render(g, ctx), Not(HasSubstr("http-reuse")));
}

TEST(RenderBranches, ParseErrorsNameTheField) {
    json g = base_graph();
    g["listeners"][0].erase("id");
    g["pools"][0]["members"][0].erase("address");
    std::string error = render_error(g);
    EXPECT_THAT(error, HasSubstr("listener.id"));
    EXPECT_THAT(error, HasSubstr("member.address"));
    g = base_graph();
    g["listeners"][0]["protocol_port"] = "eighty";
    EXPECT_THAT(render_error(g), HasSubstr("load balancer graph"));
    EXPECT_THAT(render_error(json::array()), HasSubstr("not a JSON object"));
}

TEST(ExpectedCodes, ListsRangesAndErrors) {
    EXPECT_EQ(*expand_expected_codes("200"), (std::vector<std::string>{"200"}));
    EXPECT_EQ(*expand_expected_codes("302, 200,301"),
              (std::vector<std::string>{"200", "301", "302"}));
    EXPECT_EQ(*expand_expected_codes("200-202"), (std::vector<std::string>{"200", "201", "202"}));
    EXPECT_FALSE(expand_expected_codes("abc").has_value());
    EXPECT_FALSE(expand_expected_codes("204-200").has_value());
}

TEST(Escape, HaproxyWords) {
    EXPECT_EQ(escape_word(R"(a&b<c>d"e'f)"), R"(a&b<c>d\"e\'f)");
    EXPECT_EQ(escape_word(R"("Mozilla 5")"), R"(\"Mozilla\ 5\")");
    EXPECT_EQ(escape_word("a#b\\c"), R"(a\#b\\c)");
    EXPECT_EQ(escape_word("a\tb\r\n"), R"(a\tb\r\n)");
    EXPECT_EQ(escape_word(std::string("a\0b\x7f", 4)), R"(a\x00b\x7f)");
    EXPECT_EQ(escape_word(""), R"("")");
    EXPECT_EQ(escape_word("https://a/b?c=d"), "https://a/b?c=d");
    EXPECT_TRUE(is_single_word("https://a/b?c=d"));
    EXPECT_FALSE(is_single_word("a\tb"));
    EXPECT_FALSE(is_single_word(""));
}

TEST(TlsFiles, NamesAndCrtList) {
    // sha1("abc") = a9993e364706816aba3e25717850c26c9cd0d89d
    EXPECT_EQ(secret_file_name("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d.pem");
    EXPECT_EQ(crt_list_text("/var/lib/octavia/certs/lb1", {"a.pem", "b.pem"}),
              "/var/lib/octavia/certs/lb1/a.pem\n/var/lib/octavia/certs/lb1/b.pem\n");
}

}  // namespace
}  // namespace octane::render
