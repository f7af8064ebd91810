#pragma once

// What a keyword handler gets: the words of its line, where the line is, and the sink for
// problems. Handlers never stop the parse; they report and return.

#include <string>
#include <vector>

#include "proxy/config/diagnostics.h"
#include "proxy/config/model.h"

namespace octane::proxy::config {

struct LineContext {
    const Location& loc;
    const std::vector<std::string>& words;
    Diagnostics& diag;

    void error(const std::string& msg) const { diag.error(loc, msg); }
    void warning(const std::string& msg) const { diag.warning(loc, msg); }
    // "'<kw>' in section '<section>'" style prefix used by most messages.
    std::string kw() const { return "'" + words[0] + "'"; }
};

// Section-level entry points, one per keyword-table file.
void parse_global_line(GlobalSection& global, const LineContext& ctx);
void parse_proxy_line(ProxySection& proxy, const LineContext& ctx);
void parse_peers_line(PeersSection& peers, const LineContext& ctx);

// Line-level helpers shared by the proxy keyword table.
void parse_server_line(ProxySection& proxy, const LineContext& ctx);
void parse_bind_line(ProxySection& proxy, const LineContext& ctx);
// One TLS option of a bind (`bind` = true) or server line at words[i] (tls_keywords.cc): false
// when words[i] is none; otherwise consumed with its value.
bool parse_tls_option(const LineContext& ctx, size_t& i, TlsOptions& tls, bool bind);
void parse_acl_line(ProxySection& proxy, const LineContext& ctx);
void parse_use_backend_line(ProxySection& proxy, const LineContext& ctx);
void parse_http_request_line(ProxySection& proxy, const LineContext& ctx);
void parse_http_response_line(ProxySection& proxy, const LineContext& ctx);
void parse_redirect_line(ProxySection& proxy, const LineContext& ctx);
// `<tcp-request content|http-request> set-var(<var>) <expr>`, words[action_at] = "set-var(...)".
void parse_set_var_rule(ProxySection& proxy, const LineContext& ctx, size_t action_at, bool http);

// Parses `if|unless ...` starting at words[start]; reports errors through ctx.
Condition parse_condition(const LineContext& ctx, size_t start, bool* ok);

}  // namespace octane::proxy::config
