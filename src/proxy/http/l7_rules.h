#pragma once

// The L7 rule lines of one frontend (or backend) section and the per-request decision.
//
// Evaluation order is HAProxy's, not file order across keywords: every `http-request` rule in
// declaration order (header edits apply at once and are visible to later ACLs; deny/reject stop),
// then `redirect` rules in order (first match wins), then `use_backend` in order (first match
// wins), then `default_backend`. HAProxy 2.6 warns when a redirect is written after a use_backend
// because it still runs first; we keep that semantics silently.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proxy/http/header_map.h"
#include "proxy/http/l7_match.h"

namespace octane::proxy::http {

enum class L7Verdict : uint8_t {
    kForward,   // send to `backend` (empty: no rule chose one and there is no default_backend;
                // a frontend then answers 503 like HAProxy, a backend section just continues)
    kDeny,      // answer `status` (http-request deny, 403 unless deny_status) and close
    kReject,    // http-request reject: close without a response
    kRedirect,  // answer `status` with `location` (and `set_cookie` when non-empty)
};

struct L7Decision {
    L7Verdict verdict = L7Verdict::kForward;
    int status = 0;
    std::string_view backend;  // points into the L7Rules
    std::string location;
    std::string set_cookie;  // complete Set-Cookie value for redirect set-cookie / clear-cookie
};

class L7Rules {
  public:
    // Adds one tokenized config line (words[0] is the keyword, quotes and escapes already
    // resolved by the config tokenizer). Errors carry AclErrc codes; kUnsupported marks valid
    // HAProxy lines we do not implement yet (ssl_* fetches, use-service, %[ssl_c_*] formats).
    Result<void> add_line(std::span<const std::string> words);

    // Runs the rules for one request. Header edits go into `headers` (bound to the same message).
    L7Decision evaluate(const MessageView& msg, HeaderMap& headers,
                        const ConnectionFacts& conn) const;

    std::string_view default_backend() const { return default_backend_; }

  private:
    // A log-format string reduced to what Octavia emits: literal text and %[dst_port], %[src],
    // %[src_port], %[ssl_fc], and the client certificate fetches of its X-SSL-* headers, each
    // optionally quoted (`%{+Q}[...]`).
    struct FormatPart {
        enum class Kind : uint8_t {
            kLiteral,
            kDstPort,
            kSrc,
            kSrcPort,
            kSslFc,
            kSslCVerify,
            kSslCUsed,
            kSslCSDn,  // text = the entry name, empty for the whole DN
            kSslCIDn,
            kSslCSha1Hex,
            kSslCNotBefore,
            kSslCNotAfter,
            kSslFcSni,
        } kind;
        std::string text;
        bool quote = false;
    };
    enum class HttpAction : uint8_t { kDeny, kReject, kSetHeader, kAddHeader, kDelHeader };
    struct HttpRule {
        HttpAction action = HttpAction::kDeny;
        int deny_status = 403;
        std::string name;
        std::vector<FormatPart> value;
        Condition cond;
    };
    enum class RedirectKind : uint8_t { kLocation, kPrefix, kScheme };
    struct RedirectRule {
        RedirectKind kind = RedirectKind::kLocation;
        int code = 302;
        std::string value;
        bool drop_query = false;
        bool append_slash = false;
        std::string cookie;  // "NAME=value" or "NAME=" + "; Max-Age=0" already appended
        Condition cond;
    };
    struct SwitchRule {
        std::string backend;
        Condition cond;
    };

    Result<void> add_http_request(std::span<const std::string> words);
    Result<void> add_redirect(std::span<const std::string> words);
    Result<void> add_use_backend(std::span<const std::string> words);
    static Result<std::vector<FormatPart>> compile_format(std::string_view format);
    static std::string render(const std::vector<FormatPart>& parts, const ConnectionFacts& conn);
    static void append_tls(std::string& out, const FormatPart& p, const ConnectionFacts& conn);
    static std::string build_location(const RedirectRule& r, const MessageView& msg,
                                      const HeaderMap& headers);

    AclTable acls_;
    std::vector<HttpRule> http_rules_;
    std::vector<RedirectRule> redirects_;
    std::vector<SwitchRule> switches_;
    std::string default_backend_;
};

}  // namespace octane::proxy::http
