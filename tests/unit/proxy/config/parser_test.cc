#include "proxy/config/parser.h"

#include <gtest/gtest.h>

namespace octane::proxy::config {
namespace {

ParseOutput parse(const std::string& text) {
    return parse_config({SourceFile{"t.cfg", text}});
}

bool any_has(const std::vector<std::string>& lines, const std::string& needle) {
    for (const auto& line : lines) {
        if (line.find(needle) != std::string::npos) {
            return true;
        }
    }
    return false;
}

bool has_error(const ParseOutput& out, const std::string& needle) {
    return any_has(out.diag.errors(), needle);
}

TEST(Parser, ReportsEveryErrorWithFileAndLine) {
    auto out = parse(
        "global\n"
        "    maxconn many\n"    // 2
        "    bogus-global 1\n"  // 3
        "defaults\n"
        "    timeout connect 5x\n"  // 5
        "frontend fe\n"
        "    bind 127.0.0.1:99999\n"  // 7
        "    frobnicate\n"            // 8
        "    default_backend nope\n"  // 9
        "backend be\n"
        "    balance random\n"                 // 11
        "    server s1 1.2.3.4:80 wieght 3\n"  // 12
        "    server s1 1.2.3.4:81\n"           // 13
        "    bind :80\n");                     // 14
    EXPECT_FALSE(out.diag.ok());
    EXPECT_TRUE(has_error(out, "t.cfg:2: 'maxconn' expects a positive integer"));
    EXPECT_TRUE(has_error(out, "t.cfg:3: unknown keyword 'bogus-global' in 'global' section"));
    EXPECT_TRUE(has_error(out, "t.cfg:5: 'timeout connect' expects a duration"));
    EXPECT_TRUE(has_error(out, "t.cfg:7: 'bind' : invalid port"));
    EXPECT_TRUE(has_error(out, "t.cfg:8: unknown keyword 'frobnicate' in 'frontend' section"));
    EXPECT_TRUE(has_error(out, "t.cfg:9: proxy 'fe' : unable to find required backend 'nope'"));
    EXPECT_TRUE(has_error(out, "t.cfg:11: 'balance random' is not supported"));
    EXPECT_TRUE(has_error(out, "t.cfg:12: 'server s1' : unknown option 'wieght'"));
    EXPECT_TRUE(has_error(out, "t.cfg:13: 'server s1' : duplicate server name"));
    EXPECT_TRUE(has_error(out, "t.cfg:14: 'bind' is not allowed in a 'backend' section"));
    EXPECT_EQ(out.diag.errors().size(), 10u);
}

TEST(Parser, DefaultsAreCopiedWhenAProxyOpens) {
    auto out = parse(
        "defaults\n  mode http\n  timeout server 7s\n  option forwardfor\n"
        "backend a\n  server s 127.0.0.1:1\n"
        "defaults\n  mode tcp\n"
        "backend b\n  server s 127.0.0.1:1\n");
    ASSERT_TRUE(out.diag.ok());
    EXPECT_EQ(out.config.proxies[0].mode, Mode::kHttp);
    EXPECT_TRUE(out.config.proxies[0].forwardfor);
    EXPECT_EQ(out.config.proxies[0].timeouts.server->count(), 7000);
    EXPECT_EQ(out.config.proxies[1].mode, Mode::kTcp);
    EXPECT_FALSE(out.config.proxies[1].forwardfor);  // a new defaults section starts over
}

TEST(Parser, L7RulesAndConditions) {
    auto out = parse(
        "frontend fe\n  mode http\n  bind :8080\n"
        "  acl a1 path -m beg /api\n"
        "  acl a2 req.hdr(host) -i -m str x.example\n"
        "  http-request deny if a1 !a2\n"
        "  redirect code 301 location https://x/ if a2\n"
        "  use_backend be if a1 || a2\n"
        "  use_backend be if unknown\n"
        "  http-request use-service prometheus-exporter if { path /metrics }\n"
        "backend be\n  mode http\n  server s 127.0.0.1:1\n");
    EXPECT_TRUE(has_error(out, "t.cfg:9: no such ACL: 'unknown'"));
    EXPECT_EQ(out.diag.errors().size(), 1u);
    const auto& fe = out.config.proxies[0];
    ASSERT_EQ(fe.http_request_rules.size(), 2u);
    EXPECT_EQ(fe.http_request_rules[0].cond.or_groups[0].size(), 2u);
    EXPECT_TRUE(fe.http_request_rules[0].cond.or_groups[0][1].negate);
    EXPECT_EQ(fe.redirects[0].code, 301);
    EXPECT_EQ(fe.use_backends[0].cond.or_groups.size(), 2u);
    EXPECT_EQ(fe.http_request_rules[1].cond.or_groups[0][0].anonymous.size(), 2u);
}

TEST(Parser, ModeMismatchBetweenFrontendAndBackend) {
    auto out = parse(
        "frontend fe\n  mode http\n  bind :80\n  default_backend be\n"
        "backend be\n  mode tcp\n");
    EXPECT_TRUE(has_error(out, "t.cfg:4: proxy 'fe' in mode http cannot use backend 'be'"));
}

TEST(Parser, TlsAndPeersAreExplicit) {
    auto out = parse(
        "peers p\n  peer a 10.0.0.1:1025\n"
        "frontend fe\n  bind :443 ssl crt-list /x.pem\n  default_backend be\n"
        "backend be\n  stick-table type ip size 10k peers p\n  stick on src\n"
        "  server s 1.2.3.4:443 ssl verify none\n");
    // Both sections are in mode tcp: TLS termination there is not served yet (mode http is);
    // TLS to servers is.
    EXPECT_TRUE(has_error(
        out, "t.cfg:4: 'bind 0.0.0.0:443' : TLS termination in 'mode tcp' is not supported yet"));
    EXPECT_EQ(out.diag.errors().size(), 1u) << out.diag.errors()[0];
    // Tables are replicated now (proxy/peers): the section is no longer worth a warning.
    for (const auto& w : out.diag.warnings()) {
        EXPECT_EQ(w.find("peers section"), std::string::npos) << w;
    }
    EXPECT_EQ(out.config.peers.at(0).peers.at(0).endpoint.to_string(), "10.0.0.1:1025");
}

TEST(Parser, Ipv6AddressesAndDurations) {
    auto out = parse(
        "frontend fe\n  bind 2001:db8:101::219:80\n  timeout client 2m\n"
        "  default_backend be\n"
        "backend be\n  server s 2001:db8::79:8080 check inter 5s addr ::1 port 9000\n");
    ASSERT_TRUE(out.diag.ok()) << out.diag.errors()[0];
    EXPECT_EQ(out.config.proxies[0].binds[0].endpoint.to_string(), "[2001:db8:101::219]:80");
    EXPECT_EQ(out.config.proxies[0].timeouts.client->count(), 120000);
    const auto& s = out.config.proxies[1].servers[0];
    EXPECT_EQ(s.endpoint.port(), 8080);
    EXPECT_EQ(s.check_addr->host_string(), "::1");
    EXPECT_EQ(s.check_port, 9000);
}

TEST(Parser, TuneSockmapIsOnUnlessTurnedOff) {
    EXPECT_TRUE(parse("global\n  maxconn 10\n").config.global.sockmap);
    EXPECT_TRUE(parse("global\n  tune.sockmap on\n").config.global.sockmap);
    auto off = parse("global\n  tune.sockmap off\n");
    ASSERT_TRUE(off.diag.ok()) << off.diag.errors()[0];
    EXPECT_FALSE(off.config.global.sockmap);
    EXPECT_TRUE(has_error(parse("global\n  tune.sockmap yes\n"),
                          "t.cfg:2: 'tune.sockmap' expects 'on' or 'off', got 'yes'"));
}

TEST(Parser, TuneSockmapMaxQueueIsASizeUpToOneGib) {
    EXPECT_EQ(parse("global\n  maxconn 10\n").config.global.sockmap_max_queue, 4u << 20);
    EXPECT_EQ(parse("global\n  tune.sockmap.max-queue 1m\n").config.global.sockmap_max_queue,
              1u << 20);
    EXPECT_TRUE(has_error(parse("global\n  tune.sockmap.max-queue 2g\n"),
                          "t.cfg:2: 'tune.sockmap.max-queue' expects a size from 64k to 1g, got "
                          "'2g'"));
}

TEST(Parser, HardStopAfterBoundsTheSoftStop) {
    auto out = parse("global\n  hard-stop-after 90s\n");
    ASSERT_TRUE(out.diag.ok()) << out.diag.errors()[0];
    ASSERT_TRUE(out.config.global.hard_stop_after.has_value());
    EXPECT_EQ(out.config.global.hard_stop_after->count(), 90000);
    EXPECT_FALSE(parse("global\n  maxconn 10\n").config.global.hard_stop_after.has_value());
    auto bad = parse("global\n  hard-stop-after soon\n");
    EXPECT_TRUE(has_error(bad, "t.cfg:2: 'hard-stop-after' expects a duration, got 'soon'"));
}

// SOURCE_IP_PORT as the renderer writes it, in both modes (docs/haproxy-dialect.md §3).
TEST(Parser, BalanceHashOfSourceAddressAndPort) {
    auto out = parse(
        "backend t\n  mode tcp\n  tcp-request content set-var(txn.src_port) src_port\n"
        "  balance hash src,concat(:,txn.src_port)\n  hash-type consistent\n"
        "  server s 127.0.0.1:1\n"
        "backend h\n  mode http\n  http-request set-var(txn.src_port) src_port\n"
        "  balance hash src,concat(:,txn.src_port)\n"
        "  http-request set-header X-Forwarded-Port %[dst_port]\n  server s 127.0.0.1:1\n");
    ASSERT_TRUE(out.diag.ok()) << out.diag.errors()[0];
    EXPECT_TRUE(out.diag.warnings().empty()) << out.diag.warnings()[0];
    for (const auto& p : out.config.proxies) {
        EXPECT_EQ(p.balance, balance::Algorithm::kHash);
        ASSERT_EQ(p.balance_hash.concats.size(), 1u);
        EXPECT_EQ(p.balance_hash.concats[0].var, "txn.src_port");
        ASSERT_EQ(p.set_vars.size(), 1u);
        EXPECT_EQ(p.set_vars[0].var, "txn.src_port");
        EXPECT_EQ(p.set_vars[0].expr.fetch, SampleFetch::kSrcPort);
    }
    EXPECT_EQ(out.config.proxies[0].hash_type, balance::HashType::kConsistent);
    EXPECT_FALSE(out.config.proxies[0].set_vars[0].http);
    EXPECT_TRUE(out.config.proxies[1].set_vars[0].http);
    // set-var is no L7 rule: only the header insertion reaches the rule engine.
    ASSERT_EQ(out.config.proxies[1].l7_lines.size(), 1u);
    EXPECT_EQ(out.config.proxies[1].l7_lines[0].words[1], "set-header");
}

TEST(Parser, BalanceHashRefusesWhatItCannotServe) {
    auto out = parse(
        "frontend fe\n  mode tcp\n  bind :80\n"
        "  http-request set-var(txn.p) src_port\n"  // 4
        "  default_backend be\n"
        "backend be\n  mode tcp\n"
        "  balance hash hdr(host)\n"                               // 8
        "  balance hash\n"                                         // 9
        "  balance hash src extra\n"                               // 10
        "  tcp-request content set-var(txn.p) src_port if TRUE\n"  // 11
        "  tcp-request content set-var(txn.p)\n"                   // 12
        "  tcp-request content set-var(sess.p) src_port\n"         // 13
        "  tcp-request content set-var(txn.p) src,lower\n"         // 14
        "  tcp-request content accept\n"                           // 15
        "  http-request set-var(txn.q) src_port\n"                 // 16
        "  balance hash src,concat(:,txn.nobody)\n"                // 17
        "  server s 127.0.0.1:1\n");
    EXPECT_TRUE(
        has_error(out, "t.cfg:4: 'http-request set-var' is supported in 'backend' sections only"));
    EXPECT_TRUE(has_error(
        out, "t.cfg:8: 'balance hash': sample fetch 'hdr(host)' is not supported (src, src_port)"));
    EXPECT_TRUE(has_error(out, "t.cfg:9: 'balance hash' expects one sample expression"));
    EXPECT_TRUE(has_error(out, "t.cfg:10: 'balance hash' expects one sample expression"));
    EXPECT_TRUE(
        has_error(out, "t.cfg:11: 'tcp-request content set-var': conditions are not supported"));
    EXPECT_TRUE(
        has_error(out, "t.cfg:12: 'tcp-request content set-var' expects a sample expression"));
    EXPECT_TRUE(has_error(out, "t.cfg:13: 'tcp-request content set-var': variable 'sess.p'"));
    EXPECT_TRUE(has_error(out, "t.cfg:14: 'tcp-request content set-var': converter 'lower'"));
    EXPECT_TRUE(has_error(out, "t.cfg:15: 'tcp-request' supports only 'inspect-delay' and"));
    EXPECT_TRUE(has_error(out, "t.cfg:16: proxy 'be' : 'http-request set-var' needs 'mode http'"));
    EXPECT_EQ(out.diag.errors().size(), 10u);
    EXPECT_TRUE(
        any_has(out.diag.warnings(), "'balance hash' reads variable 'txn.nobody' that no set-var"));
}

}  // namespace
}  // namespace octane::proxy::config

namespace octane::proxy::config {
namespace {

TEST(Parser, TlsOptionsOfBindAndServer) {
    auto out = parse(
        "frontend fe\n  mode http\n"
        "  bind :443 ssl crt-list /l.txt ca-file /ca.pem verify optional crl-file /crl.pem "
        "ciphers ECDHE-RSA-AES128-GCM-SHA256 ciphersuites TLS_AES_128_GCM_SHA256 no-sslv3 "
        "no-tlsv10 no-tlsv11 alpn h2,http/1.1\n"
        "  default_backend be\n"
        "backend be\n  mode http\n"
        "  server s 1.2.3.4:443 check check-ssl ssl verify required ca-file /ca.pem sni "
        "ssl_fc_sni crt /client.pem ssl-min-ver TLSv1.3\n");
    ASSERT_TRUE(out.diag.ok()) << out.diag.errors()[0];
    const TlsOptions& b = out.config.proxies[0].binds[0].tls;
    EXPECT_TRUE(b.ssl);
    EXPECT_EQ(b.crt_list, "/l.txt");
    EXPECT_EQ(b.ca_file, "/ca.pem");
    EXPECT_EQ(b.crl_file, "/crl.pem");
    EXPECT_EQ(b.verify, TlsVerify::kOptional);
    EXPECT_EQ(b.no_versions, 7u);
    EXPECT_EQ(b.alpn, "h2,http/1.1");
    EXPECT_EQ(b.ciphersuites, "TLS_AES_128_GCM_SHA256");
    const ServerLine& s = out.config.proxies[1].servers[0];
    EXPECT_TRUE(s.tls.ssl);
    EXPECT_TRUE(s.check_ssl);
    EXPECT_EQ(s.tls.verify, TlsVerify::kRequired);
    EXPECT_EQ(s.tls.sni, "ssl_fc_sni");
    EXPECT_EQ(s.tls.crts, std::vector<std::string>{"/client.pem"});
    EXPECT_EQ(s.tls.min_ver, 4);
}

TEST(Parser, TlsRefusalsAreLocated) {
    auto out = parse(
        "frontend fe\n  mode http\n  bind :443 ssl verify required\n  default_backend be\n"
        "backend be\n  mode http\n  server s 1.2.3.4:443 ssl sni req.hdr(host)\n"
        "  server t 1.2.3.4:443 ssl\n  server u 1.2.3.4:443 ssl verify maybe\n");
    EXPECT_TRUE(has_error(out, "t.cfg:3: 'bind 0.0.0.0:443' has 'ssl' but no certificate"));
    EXPECT_TRUE(has_error(out, "t.cfg:3: 'bind 0.0.0.0:443' : verify is enabled but no CA file"));
    EXPECT_TRUE(has_error(out,
                          "t.cfg:7: 'server' option 'sni' expression 'req.hdr(host)' is "
                          "not supported yet"));
    EXPECT_TRUE(has_error(out, "t.cfg:8: 'server t' : verify is enabled by default but no CA"));
    EXPECT_TRUE(has_error(out, "t.cfg:9: 'server' option 'verify' expects 'none' or 'required'"));
}

TEST(Parser, HttpResponseHeaderEditsForHsts) {
    auto out = parse(
        "frontend fe\n  mode http\n  bind :80\n"
        "  http-response set-header Strict-Transport-Security \"max-age=10; preload;\"\n"
        "  http-response del-header Server\n"
        "  http-response set-header X %[ssl_fc]\n"
        "  http-response set-header Y y if TRUE\n"
        "  http-response redirect location /x\n");
    const auto& rules = out.config.proxies[0].http_response_rules;
    ASSERT_EQ(rules.size(), 2u);
    EXPECT_EQ(rules[0].name, "Strict-Transport-Security");
    EXPECT_EQ(rules[0].value, "max-age=10; preload;");
    EXPECT_EQ(rules[1].action, HttpResponseAction::kDelHeader);
    EXPECT_TRUE(has_error(out, "t.cfg:6: 'http-response set-header' : log-format values"));
    EXPECT_TRUE(has_error(out, "t.cfg:7: conditions on 'http-response' rules are not supported"));
    EXPECT_TRUE(has_error(out, "t.cfg:8: 'http-response redirect' is not supported yet"));
}

}  // namespace
}  // namespace octane::proxy::config
