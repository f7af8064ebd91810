#pragma once

// A small blocking HTTP(S) client for the few calls the control plane makes itself:
// - controller -> amphora agent (docs/amphora.md §1): presents the controller's client
//   certificate, verifies the agent against the CA and checks that the certificate names the
//   expected amphora id (SAN DNS, or CN without SAN), not the IP address dialled;
// - token validation at an external Keystone (identity/remote_token_validator.h): https with the
//   system trust store or [keystone_authtoken] cafile and the URL's host name, or plain http.
// One connection per request (the calls are few and far between); connect and read timeouts are
// enforced with Asio timers. No retries here: the caller owns the retry policy. Beast and Asio stay
// inside https_client.cc.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/result.h"

namespace octane::http {

struct HttpsClientOptions {
    bool plain = false;     // http://: no TLS at all, the certificate options are ignored
    bool verify = true;     // false: any server certificate is accepted (Keystone's `insecure`)
    std::string ca_file;    // PEM bundle the server certificate must chain to; empty = system's
    std::string cert_file;  // PEM client certificate (may also hold the key); empty = none
    std::string key_file;   // empty = taken from cert_file
    std::chrono::milliseconds connect_timeout{10000};  // TCP connect + TLS handshake
    std::chrono::milliseconds read_timeout{60000};     // request write + response read
    std::string user_agent = "Octane Rest Client/1.0";
};

struct HttpsRequest {
    std::string method = "GET";
    std::string host;  // IP address or name to dial (IPv6 without brackets)
    uint16_t port = 9443;
    std::string target = "/";  // path and query
    // The name (or IP address) the server certificate must name, e.g. the amphora id or the URL's
    // host; empty = no name check. A name (not an address) in `host` is also sent as SNI.
    std::string expected_server_name;
    std::string body;
    std::string content_type;  // set when non-empty
    std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpsResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;

    const std::string* header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? nullptr : &it->second;
    }
};

// Error::code of a failed request, so a caller can tell "not up yet" from "refused us".
enum class HttpsError {
    kConnect = 1,  // resolve/connect failed or timed out: the agent is not (yet) listening
    kTls,          // handshake failed: wrong CA, wrong name, or our certificate refused
    kTimeout,      // the response did not arrive within read_timeout
    kProtocol,     // the peer broke HTTP
};

class HttpsClient {
  public:
    // Loads the CA and the client certificate once; fails if they are unreadable.
    static Result<HttpsClient> create(HttpsClientOptions options);

    HttpsClient(HttpsClient&&) noexcept;
    HttpsClient& operator=(HttpsClient&&) noexcept;
    ~HttpsClient();

    // Thread-safe: each call uses its own connection.
    Result<HttpsResponse> request(const HttpsRequest& request) const;

  private:
    struct Impl;
    explicit HttpsClient(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace octane::http
