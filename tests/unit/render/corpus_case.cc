#include "corpus_case.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "common/strings.h"

namespace octane::render::testing {
namespace {

using json = nlohmann::json;

const char* const kSuiteBCiphers =
    "TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256:"
    "DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-SHA256:DHE-RSA-AES128-SHA256:"
    "ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA256";

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void fill(json& j, const char* key, const json& value) {
    if (!j.contains(key)) {
        j[key] = value;
    }
}

json tls_defaults(json j) {
    fill(j, "tls_ciphers", kSuiteBCiphers);
    fill(j, "tls_versions", json::array({"TLSv1.2", "TLSv1.3"}));
    fill(j, "alpn_protocols", json::array({"h2", "http/1.1", "http/1.0"}));
    return j;
}

json health_monitor(json hm) {
    bool http = hm["type"] == "HTTP" || hm["type"] == "HTTPS";
    fill(hm, "max_retries_down", 3);
    fill(hm, "http_method", http ? json("GET") : json(nullptr));
    fill(hm, "url_path", http ? json("/") : json(nullptr));
    fill(hm, "expected_codes", http ? json("200") : json(nullptr));
    fill(hm, "http_version", nullptr);
    fill(hm, "domain_name", nullptr);
    fill(hm, "admin_state_up", true);
    fill(hm, "provisioning_status", "ACTIVE");
    return hm;
}

json member(json m) {
    fill(m, "weight", 1);
    fill(m, "backup", false);
    fill(m, "admin_state_up", true);
    fill(m, "monitor_address", nullptr);
    fill(m, "monitor_port", nullptr);
    fill(m, "provisioning_status", "ACTIVE");
    return m;
}

json pool(json p) {
    fill(p, "admin_state_up", true);
    fill(p, "provisioning_status", "ACTIVE");
    fill(p, "session_persistence", nullptr);
    fill(p, "tls_enabled", false);
    if (p["tls_enabled"] == true) {
        p = tls_defaults(p);
    }
    p["healthmonitor"] = p.contains("healthmonitor") ? health_monitor(p["healthmonitor"]) : json();
    json members = json::array();
    for (const json& m : p.value("members", json::array())) {
        members.push_back(member(m));
    }
    p["members"] = members;
    return p;
}

bool is_full_pool(const json& p) {
    return p.is_object() && p.contains("protocol");
}

std::map<std::string, json> collect_pools(const json& lb) {
    std::vector<json> full;
    for (const json& p : lb.value("pools", json::array())) {
        full.push_back(p);
    }
    for (const json& l : lb["listeners"]) {
        if (is_full_pool(l.value("default_pool", json()))) {
            full.push_back(l["default_pool"]);
        }
        for (const json& pol : l.value("l7policies", json::array())) {
            if (is_full_pool(pol.value("redirect_pool", json()))) {
                full.push_back(pol["redirect_pool"]);
            }
        }
    }
    std::map<std::string, json> by_name;
    for (const json& p : full) {
        by_name[p["name"].get<std::string>()] = pool(p);
    }
    return by_name;
}

json policy(json pol, int position, const std::map<std::string, json>& pools) {
    if (pol.contains("redirect_pool")) {
        pol["redirect_pool_id"] = pools.at(pol["redirect_pool"]["name"].get<std::string>())["id"];
        pol.erase("redirect_pool");
    }
    pol["position"] = position;
    bool redirect = pol["action"] == "REDIRECT_TO_URL" || pol["action"] == "REDIRECT_PREFIX";
    fill(pol, "redirect_http_code", redirect ? json(302) : json(nullptr));
    fill(pol, "admin_state_up", true);
    fill(pol, "provisioning_status", "ACTIVE");
    for (json& r : pol["rules"]) {
        fill(r, "invert", false);
        fill(r, "key", nullptr);
        fill(r, "admin_state_up", true);
        fill(r, "provisioning_status", "ACTIVE");
    }
    return pol;
}

json listener(json l, const std::map<std::string, json>& pools) {
    fill(l, "connection_limit", -1);
    fill(l, "admin_state_up", true);
    fill(l, "provisioning_status", "ACTIVE");
    fill(l, "timeout_client_data", 50000);
    fill(l, "timeout_member_connect", 5000);
    fill(l, "timeout_member_data", 50000);
    fill(l, "timeout_tcp_inspect", 0);
    fill(l, "insert_headers", json::object());
    fill(l, "allowed_cidrs", nullptr);
    fill(l, "client_authentication", "NONE");
    if (l["protocol"] == "TERMINATED_HTTPS") {
        l = tls_defaults(l);
    }
    l["default_pool_id"] = nullptr;
    if (l.contains("default_pool")) {
        l["default_pool_id"] = pools.at(l["default_pool"]["name"].get<std::string>())["id"];
        l.erase("default_pool");
    }
    json policies = json::array();
    int position = 1;
    for (const json& pol : l.value("l7policies", json::array())) {
        policies.push_back(policy(pol, position++, pools));
    }
    l["l7policies"] = policies;
    return l;
}

}  // namespace

std::string corpus_dir() {
    return std::string(OCTANE_TESTDATA_DIR) + "/haproxy-corpus";
}

std::string own_cases_dir() {
    return std::string(OCTANE_TESTDATA_DIR) + "/octane-renders";
}

std::vector<std::string> corpus_case_names() {
    return case_names(corpus_dir());
}

std::vector<std::string> case_names(const std::string& dir) {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() == ".cfg") {
            names.push_back(entry.path().stem().string());
        }
    }
    std::sort(names.begin(), names.end());
    return names;
}

json graph_to_contract(const json& graph) {
    std::map<std::string, json> pools = collect_pools(graph);
    json lb = graph;
    fill(lb, "admin_state_up", true);
    fill(lb, "provisioning_status", "ACTIVE");
    fill(lb, "additional_vips", json::array());
    json listeners = json::array();
    for (const json& l : graph["listeners"]) {
        listeners.push_back(listener(l, pools));
    }
    lb["listeners"] = listeners;
    lb["pools"] = json::array();
    for (const auto& [name, p] : pools) {
        lb["pools"].push_back(p);
    }
    return lb;
}

RenderContext context_from(const json& rc) {
    RenderContext ctx;
    ctx.amphora_id = rc.at("host_amphora_id").get<std::string>();
    ctx.topology = rc.value("topology", "SINGLE") == "ACTIVE_STANDBY" ? Topology::kActiveStandby
                                                                      : Topology::kSingle;
    for (const json& amp : rc.at("amphorae")) {
        ctx.amphorae.push_back({amp.at("id").get<std::string>(),
                                amp.at("vrrp_ip").get<std::string>(),
                                amp.at("status").get<std::string>()});
    }
    const json& versions = rc.at("haproxy_versions");
    ctx.haproxy_major = std::stoi(versions.at(0).get<std::string>());
    ctx.haproxy_minor = std::stoi(versions.at(1).get<std::string>());
    return ctx;
}

// Where we write a value differently from Octavia on purpose (render/escape.h): Octavia's HTML
// escaping puts a `#` into the word, which HAProxy reads as the start of a comment, so its acl
// matches "&"; ours matches the quoted value the rule asks for.
struct DeliberateDifference {
    const char* case_name;
    const char* octavia;
    const char* ours;
};
const DeliberateDifference kDeliberate[] = {
    {"l7_redirect_to_pool", R"(-m sub &#34;Mozilla\ 5&#34;)", R"(-m sub \"Mozilla\ 5\")"},
};

CorpusCase load_case(const std::string& dir, const std::string& name) {
    json doc = json::parse(read_file(dir + "/" + name + ".json"));
    CorpusCase c;
    c.name = name;
    c.load_balancer = graph_to_contract(doc.at("loadbalancer"));
    c.context = context_from(doc.at("render_context"));
    c.octavia_cfg = read_file(dir + "/" + name + ".cfg");
    c.expected_cfg = c.octavia_cfg;
    return c;
}

CorpusCase load_corpus_case(const std::string& name) {
    CorpusCase c = load_case(corpus_dir(), name);
    for (const auto& d : kDeliberate) {
        size_t at = c.expected_cfg.find(d.octavia);
        if (name == d.case_name && at != std::string::npos) {
            c.expected_cfg.replace(at, std::string(d.octavia).size(), d.ours);
        }
    }
    return c;
}

std::string canonical_rstatus(const std::string& cfg) {
    const std::string marker = "http-check expect rstatus ";
    std::string out;
    for (const std::string& line : split(cfg, '\n')) {
        size_t at = line.find(marker);
        std::string fixed = line;
        if (at != std::string::npos) {
            std::vector<std::string> codes = split(line.substr(at + marker.size()), '|');
            std::sort(codes.begin(), codes.end());
            fixed = line.substr(0, at + marker.size());
            for (size_t i = 0; i < codes.size(); ++i) {
                fixed += (i ? "|" : "") + codes[i];
            }
        }
        out += fixed + "\n";
    }
    out.pop_back();  // split() yields a last empty piece after the final newline
    return out;
}

}  // namespace octane::render::testing
