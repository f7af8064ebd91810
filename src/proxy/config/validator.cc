// Cross-section checks run after every file is read; each problem names the line that caused it.

#include <set>

#include "proxy/config/parser.h"
#include "proxy/config/tls_checks.h"
#include "proxy/http/l7_rules.h"

namespace octane::proxy::config {
namespace {

void check_backend_ref(const Config& cfg, const ProxySection& fe, const std::string& name,
                       const Location& loc, Diagnostics& diag) {
    const ProxySection* be = cfg.find_backend(name);
    if (be == nullptr) {
        diag.error(loc, "proxy '" + fe.name + "' : unable to find required backend '" + name + "'");
        return;
    }
    if (fe.mode == Mode::kHttp && be->mode == Mode::kTcp) {
        diag.error(loc, "proxy '" + fe.name + "' in mode http cannot use backend '" + name +
                            "' in mode tcp");
    }
}

void check_frontend(const Config& cfg, const ProxySection& p, Diagnostics& diag) {
    if (p.binds.empty()) {
        diag.warning(p.loc, "proxy '" + p.name + "' has no 'bind' directive");
    }
    if (p.kind == SectionKind::kFrontend && !p.default_backend.empty()) {
        check_backend_ref(cfg, p, p.default_backend, p.default_backend_loc, diag);
    }
    // ACL names in conditions are resolved by the L7 rule compiler (check_l7_rules).
    for (const auto& u : p.use_backends) {
        check_backend_ref(cfg, p, u.backend, u.loc, diag);
    }
    bool l7 = !p.http_request_rules.empty() || !p.redirects.empty();
    if (p.mode == Mode::kTcp && l7) {
        diag.error(p.loc, "proxy '" + p.name + "' : http-request/redirect rules need 'mode http'");
    }
    if (!p.timeouts.client) {
        diag.warning(p.loc, "proxy '" + p.name +
                                "' has no 'timeout client'; connections may "
                                "stay idle forever");
    }
}

// `balance hash` reads variables the backend's set-var rules set (docs/haproxy-dialect.md §3).
void check_hash_inputs(const ProxySection& p, Diagnostics& diag) {
    for (const SetVarRule& r : p.set_vars) {
        if (r.http && p.mode != Mode::kHttp) {
            diag.error(r.loc, "proxy '" + p.name + "' : 'http-request set-var' needs 'mode http'");
        }
    }
    if (p.balance != balance::Algorithm::kHash) {
        return;
    }
    for (const SampleConcat& c : p.balance_hash.concats) {
        bool set = c.var.empty();
        for (const SetVarRule& r : p.set_vars) {
            set = set || r.var == c.var;
        }
        if (!set) {
            diag.warning(p.loc,
                         "proxy '" + p.name + "' : 'balance hash' reads variable '" + c.var +
                             "' that no set-var rule of the backend sets; it reads as empty");
        }
    }
}

void check_backend(const Config& cfg, const ProxySection& p, Diagnostics& diag) {
    check_hash_inputs(p, diag);
    if (!p.stick_table.peers.empty()) {
        bool found = false;
        for (const auto& ps : cfg.peers) {
            found = found || ps.name == p.stick_table.peers;
        }
        if (!found) {
            diag.error(p.loc, "proxy '" + p.name + "' : stick-table uses unknown peers section '" +
                                  p.stick_table.peers + "'");
        }
    }
    if (!p.stick_rules.empty() && !p.stick_table.enabled) {
        diag.error(p.stick_rules.front().loc,
                   "proxy '" + p.name + "' : 'stick' rule without a 'stick-table'");
    }
    if (p.mode == Mode::kTcp && p.cookie.enabled) {
        diag.warning(p.loc, "proxy '" + p.name + "' : 'cookie' is ignored in mode tcp");
    }
    for (const auto& s : p.servers) {
        if (!s.cookie.empty() && !p.cookie.enabled) {
            diag.warning(s.loc, "server '" + s.name + "' has a cookie but backend '" + p.name +
                                    "' has no 'cookie' directive");
        }
    }
    if (p.external_check && p.external_command.empty()) {
        diag.error(p.loc, "proxy '" + p.name +
                              "' : 'option external-check' without 'external-check command'");
    }
    if (p.external_check && !cfg.global.external_check) {
        diag.error(p.loc, "proxy '" + p.name +
                              "' : 'option external-check' needs 'external-check' in 'global'");
    }
    if (p.httpchk.expect_set && !p.httpchk.enabled) {
        diag.warning(p.loc,
                     "proxy '" + p.name + "' : 'http-check expect' without 'option httpchk'");
    }
}

// Compiles the L7 lines with the engine's rule compiler so `-c` reports exactly what the running
// proxy would refuse. `http-request use-service` is served by the runtime itself, not the rules.
void check_l7_rules(const ProxySection& p, Diagnostics& diag) {
    http::L7Rules rules;
    for (const auto& line : p.l7_lines) {
        if (line.words.size() > 1 && line.words[0] == "http-request" &&
            line.words[1] == "use-service") {
            continue;
        }
        auto r = rules.add_line(line.words);
        if (!r) {
            diag.error(line.loc, r.error().message);
        }
    }
}

}  // namespace

void validate_config(const Config& config, Diagnostics& diag) {
    for (const auto& p : config.proxies) {
        if (!p.l7_lines.empty()) {
            check_l7_rules(p, diag);
        }
        if (p.has_frontend()) {
            check_frontend(config, p, diag);
        }
        if (p.has_backend()) {
            check_backend(config, p, diag);
        }
        check_tls(p, diag);
    }
}

}  // namespace octane::proxy::config
