#pragma once

// A small HTTP/1.1 server over Boost.Beast: keep-alive, a body-size limit, a pool of threads.
// Handlers are synchronous (the control plane's work is a few DB statements), so a thread per core
// serving many keep-alive connections through Asio is enough; Beast stays inside http_server.cc.

#include <chrono>
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
    // Deadlines (see accept_loop.h): the request head, the idle wait for the next request of a
    // keep-alive connection, the request body.
    std::chrono::milliseconds header_timeout{10'000};
    std::chrono::milliseconds keepalive_timeout{60'000};
    std::chrono::milliseconds body_timeout{60'000};
    // Open connections at most, and from one client address at most; more are closed at accept.
    size_t max_connections = 1000;
    size_t max_connections_per_client = 100;
};

class HttpServer {
  public:
    HttpServer(HttpServerOptions options, Handler handler);
    ~HttpServer();
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;

    // Binds and listens without accepting yet: connections wait in the backlog until start(), so a
    // caller can finish what needs the port (first-start data naming it) before serving anything.
    Result<void> listen();
    // Listens if listen() was not called, then serves on background threads; fails if the address
    // cannot be bound.
    Result<void> start();
    // The bound port (useful with bind_port 0). Valid after listen() or start().
    uint16_t port() const;
    // Stops accepting, closes connections and joins the threads. Idempotent.
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace octane::http
