#include "http/http_server.h"

#include <memory>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/accept_loop.h"
#include "http/beast_request.h"
#include "http/connection_limits.h"

namespace octane::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

std::string fault_json(const std::string& text) {
    return std::string(R"({"faultcode": "Client", "faultstring": ")") + text +
           R"(", "debuginfo": null})";
}

// One connection: read a request, run the handler, write the response, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session>, public RequestReader<Session> {
  public:
    Session(tcp::socket socket, ConnectionLimits::Ticket ticket, const Handler& handler,
            const HttpServerOptions& options)
        : stream_(std::move(socket)),
          ticket_(std::move(ticket)),
          handler_(handler),
          options_(options) {}

    void run() { read_request(); }

  private:
    friend class RequestReader<Session>;
    beast::tcp_stream& stream() { return stream_; }
    beast::tcp_stream& transport() { return stream_; }
    const HttpServerOptions& options() const { return options_; }

    void on_read(beast::error_code ec) {
        if (ec == bhttp::error::end_of_stream || ec == asio::error::operation_aborted ||
            ec == beast::error::timeout || ec == asio::error::connection_reset) {
            return close();
        }
        if (ec == bhttp::error::body_limit) {
            return write_error(413, "Request is too large.");
        }
        if (ec) {
            return write_error(400, "Malformed HTTP request");
        }
        const auto& request = parser_->get();
        HttpResponse response = handler_(to_request(request));
        write(to_beast_response(std::move(response), request.version(), request.keep_alive(),
                                options_.server_name));
    }

    void write_error(int status, const std::string& text) {
        write(error_response(status, fault_json(text)));
    }

    void write(std::shared_ptr<bhttp::response<bhttp::string_body>> out) {
        bool keep_alive = out->keep_alive();
        bhttp::async_write(
            stream_, *out,
            [self = shared_from_this(), out, keep_alive](beast::error_code ec, size_t) {
                if (ec || !keep_alive) {
                    return self->close();
                }
                self->await_next_request();
            });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    ConnectionLimits::Ticket ticket_;
    const Handler& handler_;
    const HttpServerOptions& options_;
};

}  // namespace

struct HttpServer::Impl {
    HttpServerOptions options;
    Handler handler;
    // Before io: connections still queued in io hold tickets until io is destroyed.
    std::unique_ptr<ConnectionLimits> limits;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::unique_ptr<AcceptLoop> accepting;
    std::vector<std::thread> threads;
    uint16_t port = 0;
    bool running = false;
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() {
    stop();
}

Result<void> HttpServer::listen() {
    if (impl_->acceptor.is_open()) {
        return {};
    }
    auto port = open_acceptor(impl_->acceptor, impl_->options);
    if (!port) {
        return Unexpected(port.error());
    }
    impl_->port = *port;
    return {};
}

Result<void> HttpServer::start() {
    if (auto listening = listen(); !listening) {
        return listening;
    }
    impl_->limits = std::make_unique<ConnectionLimits>(impl_->options.max_connections,
                                                       impl_->options.max_connections_per_client);
    impl_->accepting = std::make_unique<AcceptLoop>(
        impl_->io, impl_->acceptor, *impl_->limits,
        [impl = impl_.get()](tcp::socket socket, ConnectionLimits::Ticket ticket) {
            std::make_shared<Session>(std::move(socket), std::move(ticket), impl->handler,
                                      impl->options)
                ->run();
        });
    impl_->accepting->run();
    impl_->running = true;
    for (int i = 0; i < std::max(1, impl_->options.threads); ++i) {
        impl_->threads.emplace_back([this] { impl_->io.run(); });
    }
    return {};
}

uint16_t HttpServer::port() const {
    return impl_->port;
}

void HttpServer::stop() {
    if (!impl_ || !impl_->running) {
        return;
    }
    impl_->running = false;
    impl_->io.stop();
    for (auto& t : impl_->threads) {
        t.join();
    }
    impl_->threads.clear();
    // Closed after the threads are gone: a close posted to a stopping io_context may never run.
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
}

}  // namespace octane::http
