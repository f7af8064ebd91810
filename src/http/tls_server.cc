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

#include "http/accept_loop.h"
#include "http/beast_request.h"
#include "http/connection_limits.h"

namespace octane::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

constexpr auto kHandshakeTimeout = std::chrono::seconds(10);

// The agent's framework error body (Octavia: {"error": ..., "http_code": N}).
std::string error_json(int status, const std::string& text) {
    return R"({"error": ")" + text + R"(", "http_code": )" + std::to_string(status) + "}";
}

class Session : public std::enable_shared_from_this<Session>, public RequestReader<Session> {
  public:
    Session(tcp::socket socket, ConnectionLimits::Ticket ticket, ssl::context& context,
            const Handler& handler, const HttpServerOptions& options)
        : stream_(std::move(socket), context),
          ticket_(std::move(ticket)),
          handler_(handler),
          options_(options) {}

    void run() {
        transport().expires_after(kHandshakeTimeout);
        stream_.async_handshake(ssl::stream_base::server,
                                [self = shared_from_this()](beast::error_code ec) {
                                    if (ec) {
                                        spdlog::debug("TLS handshake refused: {}", ec.message());
                                        return self->close();
                                    }
                                    self->read_request();
                                });
    }

  private:
    friend class RequestReader<Session>;
    TlsStream& stream() { return stream_; }
    beast::tcp_stream& transport() { return beast::get_lowest_layer(stream_); }
    const HttpServerOptions& options() const { return options_; }

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
                self->await_next_request();
            });
    }

    void shutdown() {
        transport().expires_after(std::chrono::seconds(2));
        stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->close(); });
    }

    void close() {
        beast::error_code ignored;
        transport().socket().shutdown(tcp::socket::shutdown_both, ignored);
        transport().socket().close(ignored);
    }

    TlsStream stream_;
    ConnectionLimits::Ticket ticket_;
    const Handler& handler_;
    const HttpServerOptions& options_;
};

}  // namespace

struct TlsServer::Impl {
    TlsServerOptions options;
    Handler handler;
    // Before io: connections still queued in io hold tickets until io is destroyed.
    std::unique_ptr<ConnectionLimits> limits;
    asio::io_context io;
    ssl::context context{ssl::context::tls_server};
    tcp::acceptor acceptor{io};
    std::unique_ptr<AcceptLoop> accepting;
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
    auto port = open_acceptor(impl_->acceptor, http);
    if (!port) {
        return Unexpected(port.error());
    }
    impl_->port = *port;
    impl_->limits =
        std::make_unique<ConnectionLimits>(http.max_connections, http.max_connections_per_client);
    impl_->accepting = std::make_unique<AcceptLoop>(
        impl_->io, impl_->acceptor, *impl_->limits,
        [impl = impl_.get()](tcp::socket socket, ConnectionLimits::Ticket ticket) {
            std::make_shared<Session>(std::move(socket), std::move(ticket), impl->context,
                                      impl->handler, impl->options.http)
                ->run();
        });
    impl_->accepting->run();
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
