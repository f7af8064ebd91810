#pragma once

// What one server's health check does, translated once from the config: where to connect, what
// to send, what answer passes. Pure data plus the pure verdict function.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <regex.h>

#include "proxy/config/model.h"
#include "proxy/io/address.h"

namespace octane::proxy::tls {
class BackendTls;
}

namespace octane::proxy::health {

// kSslHello: `option ssl-hello-chk` (a TLS ClientHello must get a handshake record back);
// kExternal: `option external-check` (a program decides by its exit status).
enum class CheckKind { kTcp, kHttp, kSslHello, kExternal };

// A compiled `http-check expect` rule. POSIX ERE (regcomp) stands in for HAProxy's PCRE: the
// patterns Octavia renders ("200|201|202") mean the same in both.
class HttpExpect {
  public:
    HttpExpect() = default;
    ~HttpExpect();
    HttpExpect(const HttpExpect&) = delete;
    HttpExpect& operator=(const HttpExpect&) = delete;

    // Returns false (with `error`) when the pattern does not compile.
    bool init(const config::HttpCheck& hc, std::string* error);
    // Verdict on a response; `body` may be empty when only the status matters.
    bool passes(int status, std::string_view body) const;
    bool needs_body() const { return kind_ == "string" || kind_ == "rstring"; }

  private:
    std::string kind_;  // empty = default rule: 2xx and 3xx pass
    std::string value_;
    bool negate_ = false;
    bool compiled_ = false;
    regex_t re_{};
};

struct CheckSpec {
    CheckKind kind = CheckKind::kTcp;
    Endpoint target;
    int64_t inter_ms = 2000;
    int64_t fastinter_ms = 2000;
    int64_t downinter_ms = 2000;
    int64_t connect_timeout_ms = 2000;
    int64_t read_timeout_ms = 2000;
    std::string request;            // HTTP request / TLS ClientHello bytes
    std::vector<std::string> argv;  // external check: program and its arguments
    std::vector<std::string> env;   // external check: NAME=value entries
    std::shared_ptr<HttpExpect> expect;
    // `check-ssl` (or a server with `ssl`): the probe runs over TLS; a TCP check then passes
    // once the handshake completes (HAProxy's L6OK).
    const tls::BackendTls* tls = nullptr;
};

// Builds the HTTP check request as HAProxy sends it for `option httpchk` + `http-check send`.
std::string build_http_check_request(const config::HttpCheck& hc);

// A TLS 1.2 ClientHello record, as `option ssl-hello-chk` probes with (HAProxy sends an SSLv3
// hello; servers that refuse SSLv3 answer TLS 1.2 instead, so we speak that).
std::string build_tls_client_hello();

// Parses "HTTP/1.x NNN ..." from the start of a response; returns -1 while incomplete or on a
// malformed status line (`*malformed` tells which).
int parse_status_line(std::string_view data, bool* malformed);

}  // namespace octane::proxy::health
