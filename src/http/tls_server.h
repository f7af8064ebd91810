#pragma once

// The HTTP/1.1 server of http_server.h over TLS with mutual authentication, for the amphora agent
// (docs/amphora.md §1): TLS >= 1.2, a server certificate, and CERT_REQUIRED against a client-CA
// bundle, so a client without a certificate signed by that CA fails the handshake and never
// reaches a handler. Handlers are the same `Handler` as the plain server's. Beast and Asio stay
// inside tls_server.cc.

#include <cstdint>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/http_server.h"

namespace octane::http {

struct TlsServerOptions {
    HttpServerOptions http;      // bind_host, bind_port (0 = any), threads, max_body_bytes
    std::string cert_file;       // PEM server certificate (may also hold the key)
    std::string key_file;        // PEM private key; empty = taken from cert_file
    std::string client_ca_file;  // PEM bundle of the CAs whose client certificates are accepted
};

class TlsServer {
  public:
    TlsServer(TlsServerOptions options, Handler handler);
    ~TlsServer();
    TlsServer(const TlsServer&) = delete;
    TlsServer& operator=(const TlsServer&) = delete;

    // Loads the certificates, binds and serves on background threads. Fails on unreadable
    // certificates or keys, a key that does not match, or an address that cannot be bound.
    Result<void> start();
    uint16_t port() const;  // the bound port, valid after start()
    // Stops accepting, closes connections and joins the threads. Idempotent.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace octane::http
