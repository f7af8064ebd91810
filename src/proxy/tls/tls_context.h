#pragma once

// OpenSSL contexts built from the TLS options of a `bind` (FrontendTls: termination) or a
// `server` (BackendTls: origination), reading the files they name. Built once per process, before
// the workers start (and by `-c`, which so reports unreadable or mismatched files as HAProxy
// does); shared read-only by every worker thread afterwards (SSL_new is thread-safe on a context
// nobody changes).

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include <openssl/ssl.h>

#include "common/result.h"
#include "proxy/config/model.h"
#include "proxy/tls/cert_names.h"

namespace octane::proxy::tls {

struct CtxDeleter {
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using CtxPtr = std::unique_ptr<SSL_CTX, CtxDeleter>;

// One SSL_CTX per certificate, identical but for the certificate: the servername callback moves a
// handshake to the context of the certificate its SNI selects (cert_names.h). Session tickets are
// on (OpenSSL's default, as HAProxy), keyed per process; the session cache is OpenSSL's internal
// one. ALPN selection prefers the bind's order and never picks h2 (tls_options.h).
class FrontendTls {
  public:
    static Result<std::unique_ptr<FrontendTls>> build(const config::TlsOptions& t);
    // A server-side SSL for an accepted socket; nullptr when OpenSSL is out of memory.
    SSL* new_ssl(int fd) const;
    size_t cert_count() const { return ctxs_.size(); }
    const std::vector<std::string>& names_of(size_t i) const { return names_[i]; }

  private:
    static int on_servername(SSL* ssl, int* alert, void* arg);
    static int on_alpn(SSL* ssl, const unsigned char** out, unsigned char* outlen,
                       const unsigned char* in, unsigned inlen, void* arg);

    std::vector<CtxPtr> ctxs_;
    std::vector<std::vector<std::string>> names_;  // per certificate, what SNI it answers
    CertSelector selector_;
    std::string alpn_;  // wire format
};

// Sessions are reused towards the server, as HAProxy does: the last session the server gave for
// each SNI (a few names at most per server line) is offered by the next connection, so a server
// that closes its connections costs a resumption, not a full handshake. Shared by the workers.
class BackendTls {
  public:
    static Result<std::unique_ptr<BackendTls>> build(const config::TlsOptions& t);
    ~BackendTls();
    // A client-side SSL for a connecting socket; `sni` empty = no SNI. With verification on and
    // an SNI, the certificate must also carry that name (as HAProxy checks it against `sni`).
    SSL* new_ssl(int fd, std::string_view sni) const;

  private:
    static int on_new_session(SSL* ssl, SSL_SESSION* session);

    CtxPtr ctx_;
    bool verify_ = false;
    mutable std::mutex mu_;
    std::map<std::string, SSL_SESSION*, std::less<>> sessions_;  // by SNI, one reference each
};

}  // namespace octane::proxy::tls
