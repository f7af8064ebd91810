// The renderer is safe by construction: whatever text an API object holds, the haproxy.cfg it
// renders is read back by octane-proxy's parser (the tokenizer HAProxy's rules describe) as exactly
// the objects rendered: one acl per active rule with the rule's value as its single pattern, one
// redirect per redirect policy with the URL as given and its whole condition, the log-format with
// the project id as data, and no other line, keyword, pattern or comment. Random objects from a
// fixed seed, plus the probes of issue 11.

#include <random>
#include <regex>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "proxy/config/parser.h"
#include "proxy/config/tokenizer.h"
#include "proxy/runtime/access_log.h"
#include "render/escape.h"
#include "render/haproxy_config.h"

namespace octane::render {
namespace {

using json = nlohmann::json;
using proxy::config::ProxySection;

// Bytes a tenant might try: the tokenizer's specials, every whitespace, NUL, C1, UTF-8.
const std::string kNasty = std::string("#\"'\\ \t\r\n\v\f{}()%&<>|;,!$*[]^`~=:/?@", 33) +
                           std::string("\0\x01\x1b\x7f", 4) + "\xc2\x85\xc3\xa9";

std::string random_text(std::mt19937& rng, size_t max_len, bool allow_empty = false) {
    static const std::string kPlain = "abcXYZ0189-._";
    size_t len = rng() % (max_len + 1);
    if (len == 0 && !allow_empty) {
        len = 1;
    }
    std::string out;
    for (size_t i = 0; i < len; ++i) {
        const std::string& pool = rng() % 2 ? kPlain : kNasty;
        out += pool[rng() % pool.size()];
    }
    return out;
}

bool compiles(const std::string& pattern) {
    try {
        std::regex compiled(pattern);
        return true;
    } catch (const std::regex_error&) {
        return false;
    }
}

bool has_blank_or_control(const std::string& s) {
    return !is_single_word(s);
}

struct Expected {
    std::vector<std::pair<std::string, std::vector<std::string>>> acls;  // name, words
    std::vector<std::pair<std::string, std::string>> redirects;          // kind, value
    std::vector<std::vector<std::pair<bool, std::string>>> conditions;   // per redirect
    size_t denies = 0;
};

json base_graph(const std::string& project_id) {
    return {{"id", "lb-1"},
            {"project_id", project_id},
            {"vip_address", "10.0.0.10"},
            {"listeners",
             {{{"id", "listener-1"},
               {"protocol", "HTTP"},
               {"protocol_port", 80},
               {"default_pool_id", "pool-1"}}}},
            {"pools",
             {{{"id", "pool-1"},
               {"protocol", "HTTP"},
               {"lb_algorithm", "ROUND_ROBIN"},
               {"members", {{{"id", "m1"}, {"address", "10.0.1.1"}, {"protocol_port", 8080}}}}}}}};
}

// One random rule; fills the acl words the parser must return for it.
json random_rule(std::mt19937& rng, const std::string& id, std::vector<std::string>& words) {
    // SSL_DN_FIELD is left out: octane-proxy refuses TLS-termination fetches on a plain HTTP
    // listener; its key and value are written by the same escape as HEADER's.
    static const char* kTypes[] = {"HOST_NAME", "PATH", "FILE_TYPE", "HEADER", "COOKIE"};
    static const std::pair<const char*, const char*> kCompare[] = {{"REGEX", "reg"},
                                                                   {"STARTS_WITH", "beg"},
                                                                   {"ENDS_WITH", "end"},
                                                                   {"CONTAINS", "sub"},
                                                                   {"EQUAL_TO", "str"}};
    std::string type = kTypes[rng() % 5];
    auto [compare, method] = kCompare[rng() % 5];
    std::string value = random_text(rng, 12);
    if (std::string_view(compare) == "REGEX" && !compiles(value)) {
        // The API refuses a regular expression that does not compile (Octavia's check).
        compare = "CONTAINS";
        method = "sub";
    }
    // Keys as the API lets them through: RFC 7230 token characters (HEADER, COOKIE), letters,
    // digits and '-' (SSL_DN_FIELD).
    static const std::string kToken = "abcXYZ019-._#'%&|!$*^`~";
    static const std::string kDn = "abcXYZ019-";
    const std::string& key_chars = type == "SSL_DN_FIELD" ? kDn : kToken;
    std::string key = "K";
    for (size_t i = rng() % 7; i > 0; --i) {
        key += key_chars[rng() % key_chars.size()];
    }
    json rule = {{"id", id},
                 {"type", type},
                 {"compare_type", compare},
                 {"value", value},
                 {"invert", rng() % 2 == 0}};
    words.clear();
    if (type == "HOST_NAME") {
        words = {"req.hdr(host)", "-i"};
    } else if (type == "PATH") {
        words = {"path"};
    } else if (type == "FILE_TYPE") {
        words = {"path_end"};
    } else {
        rule["key"] = key;
        std::string fetch = type == "HEADER"   ? "req.hdr("
                            : type == "COOKIE" ? "req.cook("
                                               : "ssl_c_s_dn(";
        words = {fetch + key + ")"};
    }
    words.insert(words.end(), {"-m", method});
    if (value[0] == '-') {
        words.push_back("--");  // the end of the flags, before a pattern that looks like one
    }
    words.push_back(value);
    return rule;
}

struct Case {
    json graph;
    Expected expected;
    bool needs_single_words = true;  // false when a redirect URL or key holds a blank/control
};

Case random_case(std::mt19937& rng) {
    Case c;
    c.graph = base_graph(random_text(rng, 20));
    json policies = json::array();
    size_t n_policies = 1 + rng() % 3;
    for (size_t p = 0; p < n_policies; ++p) {
        std::string pid = "policy-" + std::to_string(p);
        json policy = {{"id", pid}, {"position", p + 1}, {"rules", json::array()}};
        std::vector<std::pair<bool, std::string>> cond;
        size_t n_rules = 1 + rng() % 3;
        for (size_t r = 0; r < n_rules; ++r) {
            std::string rid = pid + "-rule-" + std::to_string(r);
            std::vector<std::string> words;
            json rule = random_rule(rng, rid, words);
            c.expected.acls.emplace_back(rid, words);
            cond.emplace_back(rule["invert"].get<bool>(), rid);
            policy["rules"].push_back(rule);
        }
        switch (rng() % 3) {
            case 0:
                policy["action"] = "REJECT";
                ++c.expected.denies;
                break;
            case 1:
            case 2: {
                bool prefix = rng() % 2 == 0;
                std::string url = "http://h.example/" + random_text(rng, 16, true);
                policy["action"] = prefix ? "REDIRECT_PREFIX" : "REDIRECT_TO_URL";
                policy[prefix ? "redirect_prefix" : "redirect_url"] = url;
                policy["redirect_http_code"] = 302;
                if (has_blank_or_control(url)) {
                    c.needs_single_words = false;
                }
                c.expected.redirects.emplace_back(prefix ? "prefix" : "location", url);
                c.expected.conditions.push_back(cond);
                break;
            }
        }
        policies.push_back(policy);
    }
    c.graph["listeners"][0]["l7policies"] = policies;
    return c;
}

const ProxySection* frontend_of(const proxy::config::Config& config) {
    for (const auto& p : config.proxies) {
        if (p.name == "listener-1") {
            return &p;
        }
    }
    return nullptr;
}

// The parsed frontend holds exactly the expected acls, redirects and denies, and nothing else.
void expect_parsed_as_rendered(const Case& c, const std::string& cfg) {
    auto parsed = proxy::config::parse_config({{"haproxy.cfg", cfg}});
    ASSERT_TRUE(parsed.diag.ok()) << ::testing::PrintToString(parsed.diag.errors()) << "\n" << cfg;
    ASSERT_EQ(parsed.config.proxies.size(), 2u) << cfg;  // the frontend and its one backend
    const ProxySection* fe = frontend_of(parsed.config);
    ASSERT_NE(fe, nullptr) << cfg;
    ASSERT_EQ(fe->binds.size(), 1u) << cfg;
    ASSERT_EQ(fe->acls.size(), c.expected.acls.size()) << cfg;
    for (size_t i = 0; i < fe->acls.size(); ++i) {
        EXPECT_EQ(fe->acls[i].name, c.expected.acls[i].first) << cfg;
        EXPECT_EQ(fe->acls[i].words, c.expected.acls[i].second) << cfg;
    }
    ASSERT_EQ(fe->redirects.size(), c.expected.redirects.size()) << cfg;
    for (size_t i = 0; i < fe->redirects.size(); ++i) {
        const auto& r = fe->redirects[i];
        EXPECT_EQ(r.kind, c.expected.redirects[i].first == "prefix"
                              ? proxy::config::RedirectKind::kPrefix
                              : proxy::config::RedirectKind::kLocation);
        EXPECT_EQ(r.value, c.expected.redirects[i].second) << cfg;
        ASSERT_TRUE(r.cond.present) << cfg;
        ASSERT_EQ(r.cond.or_groups.size(), 1u) << cfg;
        const auto& terms = r.cond.or_groups[0];
        ASSERT_EQ(terms.size(), c.expected.conditions[i].size()) << cfg;
        for (size_t t = 0; t < terms.size(); ++t) {
            EXPECT_EQ(terms[t].negate, c.expected.conditions[i][t].first);
            EXPECT_EQ(terms[t].acl_name, c.expected.conditions[i][t].second);
        }
    }
    EXPECT_EQ(fe->http_request_rules.size(), c.expected.denies) << cfg;
    EXPECT_EQ(fe->use_backends.size(), 0u) << cfg;
    EXPECT_EQ(fe->l7_lines.size(),
              c.expected.acls.size() + c.expected.redirects.size() + c.expected.denies)
        << cfg;
    // The log line starts with the project id and the load balancer id, as data.
    proxy::LogRecord record{fe, nullptr, nullptr, nullptr, 0, 0, 0, 0, nullptr, "--"};
    std::string project = c.graph["project_id"];
    EXPECT_EQ(proxy::format_log_line(fe->log_format, record).rfind(project + " lb-1 ", 0), 0u)
        << fe->log_format;
}

TEST(RenderRoundTrip, EscapedWordsTokenizeBackToThemselves) {
    std::mt19937 rng(11);
    for (int n = 0; n < 20000; ++n) {
        std::string value = random_text(rng, 24, true);
        auto words =
            proxy::config::tokenize_line("keyword " + escape_word(value) + " tail # comment");
        ASSERT_TRUE(words.has_value()) << escape_word(value);
        EXPECT_EQ(*words, (std::vector<std::string>{"keyword", value, "tail"}))
            << escape_word(value);
    }
}

TEST(RenderRoundTrip, RandomObjectsParseBackExactly) {
    std::mt19937 rng(20261204);
    int rendered = 0;
    for (int n = 0; n < 1500; ++n) {
        Case c = random_case(rng);
        auto cfg = render_haproxy_cfg(c.graph, RenderContext{});
        if (!c.needs_single_words) {
            // A URL or header name with a blank or control byte is refused, never written.
            EXPECT_FALSE(cfg.has_value()) << c.graph.dump();
            continue;
        }
        ASSERT_TRUE(cfg.has_value()) << cfg.error().message << "\n" << c.graph.dump();
        expect_parsed_as_rendered(c, *cfg);
        ++rendered;
    }
    EXPECT_GT(rendered, 500);  // the generator reaches the interesting branch often
}

// Issue 11 probes, each once by name: a PATH rule "/" under the given policy, rendered for the
// given project (with extra rules after it) and read back; returns the file.
std::string render_probe(const std::string& project_id, json policy, Expected expected,
                         const json& extra_rules = json::array()) {
    policy["id"] = "p";
    policy["rules"] = {
        {{"id", "r"}, {"type", "PATH"}, {"compare_type", "EQUAL_TO"}, {"value", "/"}}};
    for (const auto& rule : extra_rules) {
        policy["rules"].push_back(rule);
    }
    expected.acls.insert(expected.acls.begin(), {"r", {"path", "-m", "str", "/"}});
    Case c;
    c.graph = base_graph(project_id);
    c.graph["listeners"][0]["l7policies"] = {policy};
    c.expected = expected;
    auto cfg = render_haproxy_cfg(c.graph, RenderContext{});
    EXPECT_TRUE(cfg.has_value()) << cfg.error().message;
    if (cfg) {
        expect_parsed_as_rendered(c, *cfg);
    }
    return cfg ? *cfg : std::string();
}

TEST(RenderRoundTrip, ProjectIdWithNewlineAddsNoLine) {
    Expected e;
    e.denies = 1;
    std::string cfg = render_probe("proj\n    bind 0.0.0.0:2222\n#", {{"action", "REJECT"}}, e);
    EXPECT_THAT(cfg, ::testing::Not(::testing::HasSubstr("\n    bind 0.0.0.0:2222")));
}

TEST(RenderRoundTrip, RedirectUrlEscapesAndFragmentStayData) {
    // Backslash sequences the tokenizer would decode into CR LF, and a '#' that would comment out
    // the condition.
    std::string url = "http://a.example/x\\r\\nSet-Cookie:\\x20s=1#frag";
    Expected e;
    e.redirects = {{"location", url}};
    e.conditions = {{{false, "r"}}};
    render_probe(
        "proj", {{"action", "REDIRECT_TO_URL"}, {"redirect_url", url}, {"redirect_http_code", 302}},
        e);
}

TEST(RenderRoundTrip, RegexValueWithTabIsOnePattern) {
    Expected e;
    e.acls = {{"r2", {"path", "-m", "reg", "^/a\tb"}}};
    e.denies = 1;
    json regex = {{"id", "r2"}, {"type", "PATH"}, {"compare_type", "REGEX"}, {"value", "^/a\tb"}};
    render_probe("proj", {{"action", "REJECT"}}, e, json::array({regex}));
}

}  // namespace
}  // namespace octane::render
