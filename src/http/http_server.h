#pragma once

// A small HTTP/1.1 server over Boost.Beast: keep-alive, a body-size limit, a pool of threads.
// Handlers are synchronous (the control plane's work is a few DB statements), so a thread per core
// serving many keep-alive connections through Asio is enough; Beast stays inside http_server.cc.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.h"
#include "http/http_message.h"

namespace octane::http {

using Handler = std::function<HttpResponse(const HttpRequest&)>;

struct HttpServerOptions {
    std::string bind_host = "127.0.0.1";
    uint16_t bind_port = 9876;  // 0 = any free port; see HttpServer::port()
    int threads = 2;
    size_t max_body_bytes = 114688;  // oslo.middleware sizelimit default
    std::string server_name = "octane";
};

class HttpServer {
  public:
    HttpServer(HttpServerOptions options, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and starts serving on background threads; fails if the address cannot be bound.
    Result<void> start();
    // The bound port (useful with bind_port 0). Valid after start().
    uint16_t port() const;
    // Stops accepting, closes connections and joins the threads. Idempotent.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace octane::http
