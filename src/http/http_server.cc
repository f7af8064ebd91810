#include "http/http_server.h"

#include <optional>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "http/beast_request.h"

namespace octane::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr auto kIdleTimeout = std::chrono::seconds(120);

std::string fault_json(const std::string& text) {
    return std::string(R"({"faultcode": "Client", "faultstring": ")") + text +
           R"(", "debuginfo": null})";
}

// One connection: read a request, run the handler, write the response, repeat while keep-alive.
class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, const Handler& handler, const HttpServerOptions& options)
        : stream_(std::move(socket)), handler_(handler), options_(options) {}

    void run() { read(); }

  private:
    void read() {
        parser_.emplace();
        parser_->body_limit(options_.max_body_bytes);
        parser_->header_limit(64 * 1024);
        stream_.expires_after(kIdleTimeout);
        bhttp::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

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
                self->read();
            });
    }

    void close() {
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    const Handler& handler_;
    const HttpServerOptions& options_;
};

}  // namespace

struct HttpServer::Impl {
    HttpServerOptions options;
    Handler handler;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    std::vector<std::thread> threads;
    uint16_t port = 0;
    bool running = false;

    void accept() {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted) {
                return;
            }
            if (!ec) {
                beast::error_code ignored;
                s.set_option(tcp::no_delay(true), ignored);
                std::make_shared<Session>(std::move(s), handler, options)->run();
            }
            accept();
        });
    }
};

HttpServer::HttpServer(HttpServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() {
    stop();
}

Result<void> HttpServer::start() {
    beast::error_code ec;
    auto address = asio::ip::make_address(impl_->options.bind_host, ec);
    if (ec) {
        return make_error("invalid bind address " + impl_->options.bind_host);
    }
    tcp::endpoint endpoint(address, impl_->options.bind_port);
    impl_->acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        impl_->acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return make_error("cannot listen on " + impl_->options.bind_host + ":" +
                          std::to_string(impl_->options.bind_port) + ": " + ec.message());
    }
    impl_->port = impl_->acceptor.local_endpoint().port();
    impl_->accept();
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
