#include "http/tls_server.h"

#include <optional>
#include <thread>
#include <vector>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include "http/beast_request.h"

namespace octane::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kIdleTimeout = std::chrono::seconds(180);  // Octavia agent_request_read_timeout

// The agent's framework error body (Octavia: {"error": ..., "http_code": N}).
std::string error_json(int status, const std::string& text) {
    return R"({"error": ")" + text + R"(", "http_code": )" + std::to_string(status) + "}";
}

class Session : public std::enable_shared_from_this<Session> {
  public:
    Session(tcp::socket socket, ssl::context& context, const Handler& handler,
            const HttpServerOptions& options)
        : stream_(std::move(socket), context), handler_(handler), options_(options) {}

    void run() {
        beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
        stream_.async_handshake(ssl::stream_base::server,
                                [self = shared_from_this()](beast::error_code ec) {
                                    if (ec) {
                                        spdlog::debug("TLS handshake refused: {}", ec.message());
                                        return self->close();
                                    }
                                    self->read();
                                });
    }

  private:
    void read() {
        parser_.emplace();
        parser_->body_limit(options_.max_body_bytes);
        parser_->header_limit(64 * 1024);
        beast::get_lowest_layer(stream_).expires_after(kIdleTimeout);
        bhttp::async_read(
            stream_, buffer_, *parser_,
            [self = shared_from_this()](beast::error_code ec, size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec == bhttp::error::body_limit) {
            return write(error_response(413, error_json(413, "Request Entity Too Large")));
        }
        if (ec == bhttp::error::end_of_stream || ec == asio::ssl::error::stream_truncated ||
            ec == asio::error::operation_aborted || ec == beast::error::timeout ||
            ec == asio::error::connection_reset || ec == asio::error::eof) {
            return close();
        }
        if (ec) {
            return write(error_response(400, error_json(400, "Bad Request")));
        }
        const auto& request = parser_->get();
        HttpResponse response;
        try {
            response = handler_(to_request(request));
        } catch (const std::exception& e) {
            spdlog::error("handler failed on {} {}: {}", std::string(request.method_string()),
                          std::string(request.target()), e.what());
            response = HttpResponse{500, "application/json", {}, error_json(500, "Internal Error")};
        }
        write(to_beast_response(std::move(response), request.version(), request.keep_alive(),
                                options_.server_name));
    }

    void write(std::shared_ptr<bhttp::response<bhttp::string_body>> out) {
        bool keep_alive = out->keep_alive();
        bhttp::async_write(
            stream_, *out,
            [self = shared_from_this(), out, keep_alive](beast::error_code ec, size_t) {
                if (ec || !keep_alive) {
                    return self->shutdown();
                }
                self->read();
            });
    }

    void shutdown() {
        beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
        stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->close(); });
    }

    void close() {
        beast::error_code ignored;
        beast::get_lowest_layer(stream_).socket().shutdown(tcp::socket::shutdown_both, ignored);
        beast::get_lowest_layer(stream_).socket().close(ignored);
    }

    TlsStream stream_;
    beast::flat_buffer buffer_;
    std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
    const Handler& handler_;
    const HttpServerOptions& options_;
};

}  // namespace

struct TlsServer::Impl {
    TlsServerOptions options;
    Handler handler;
    asio::io_context io;
    ssl::context context{ssl::context::tls_server};
    tcp::acceptor acceptor{io};
    std::vector<std::thread> threads;
    uint16_t port = 0;
    bool running = false;

    Result<void> load_context() {
        SSL_CTX* ctx = context.native_handle();
        SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
        SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
        beast::error_code ec;
        const std::string& key = options.key_file.empty() ? options.cert_file : options.key_file;
        context.use_certificate_chain_file(options.cert_file, ec);
        if (ec) {
            return make_error("cannot load server certificate " + options.cert_file + ": " +
                              ec.message());
        }
        context.use_private_key_file(key, ssl::context::pem, ec);
        if (ec || SSL_CTX_check_private_key(ctx) != 1) {
            return make_error("cannot load a private key matching the certificate from " + key);
        }
        context.load_verify_file(options.client_ca_file, ec);
        if (ec) {
            return make_error("cannot load client CA " + options.client_ca_file + ": " +
                              ec.message());
        }
        if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.client_ca_file.c_str())) {
            SSL_CTX_set_client_CA_list(ctx, names);
        }
        context.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
        return {};
    }

    void accept() {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
            if (ec == asio::error::operation_aborted) {
                return;
            }
            if (!ec) {
                beast::error_code ignored;
                s.set_option(tcp::no_delay(true), ignored);
                std::make_shared<Session>(std::move(s), context, handler, options.http)->run();
            }
            accept();
        });
    }
};

TlsServer::TlsServer(TlsServerOptions options, Handler handler) : impl_(std::make_unique<Impl>()) {
    impl_->options = std::move(options);
    impl_->handler = std::move(handler);
}

TlsServer::~TlsServer() {
    stop();
}

Result<void> TlsServer::start() {
    if (auto loaded = impl_->load_context(); !loaded) {
        return loaded;
    }
    const auto& http = impl_->options.http;
    beast::error_code ec;
    auto address = asio::ip::make_address(http.bind_host, ec);
    if (ec) {
        return make_error("invalid bind address " + http.bind_host);
    }
    tcp::endpoint endpoint(address, http.bind_port);
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
        return make_error("cannot listen on " + http.bind_host + ":" +
                          std::to_string(http.bind_port) + ": " + ec.message());
    }
    impl_->port = impl_->acceptor.local_endpoint().port();
    impl_->accept();
    impl_->running = true;
    for (int i = 0; i < std::max(1, http.threads); ++i) {
        impl_->threads.emplace_back([this] { impl_->io.run(); });
    }
    return {};
}

uint16_t TlsServer::port() const {
    return impl_->port;
}

void TlsServer::stop() {
    if (!impl_ || !impl_->running) {
        return;
    }
    impl_->running = false;
    asio::post(impl_->io, [this] {
        beast::error_code ignored;
        impl_->acceptor.close(ignored);
    });
    impl_->io.stop();
    for (auto& t : impl_->threads) {
        t.join();
    }
    impl_->threads.clear();
    // The posted close may not have run before io.stop(): close here so the port is released.
    beast::error_code ignored;
    impl_->acceptor.close(ignored);
}

}  // namespace octane::http
