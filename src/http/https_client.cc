#include "http/https_client.h"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace octane::http {
namespace {

namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;

constexpr size_t kMaxResponseBody = 64 * 1024 * 1024;

Unexpected<Error> fail(HttpsError kind, const std::string& message) {
    return make_error(message, static_cast<int>(kind));
}

// Runs one asynchronous step to completion on a private io_context.
template <typename Start>
beast::error_code run_step(asio::io_context& io, Start start) {
    beast::error_code result = asio::error::would_block;
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io.restart();
    io.run();
    return result;
}

// Makes the handshake fail unless the certificate names `name`: an IP address must be an IP SAN,
// anything else a DNS SAN (or CN without SAN), whole labels only.
Result<void> expect_name(SSL* ssl_handle, const std::string& name) {
    if (name.empty()) {
        return {};
    }
    beast::error_code ec;
    asio::ip::make_address(name, ec);
    if (!ec) {
        if (X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_handle), name.c_str()) != 1) {
            return make_error("bad expected server address " + name);
        }
        return {};
    }
    SSL_set_hostflags(ssl_handle, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    if (SSL_set1_host(ssl_handle, name.c_str()) != 1) {
        return make_error("bad expected server name " + name);
    }
    return {};
}

// Writes the request and reads the response on a connected (and, for TLS, handshaken) stream.
template <typename Stream>
Result<HttpsResponse> exchange(asio::io_context& io, Stream& stream, const HttpsRequest& request,
                               const HttpsClientOptions& o, const std::string& where) {
    bhttp::request<bhttp::string_body> out;
    out.method_string(request.method);
    out.target(request.target);
    out.version(11);
    out.set(bhttp::field::host, request.host);
    out.set(bhttp::field::user_agent, o.user_agent);
    if (!request.content_type.empty()) {
        out.set(bhttp::field::content_type, request.content_type);
    }
    for (const auto& [name, value] : request.headers) {
        out.set(name, value);
    }
    out.body() = request.body;
    out.keep_alive(false);
    out.prepare_payload();
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(o.read_timeout);
    beast::error_code ec = run_step(io, [&](auto done) { bhttp::async_write(stream, out, done); });
    beast::flat_buffer buffer;
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxResponseBody);
    if (!ec) {
        ec = run_step(io, [&](auto done) { bhttp::async_read(stream, buffer, parser, done); });
    }
    if (ec == beast::error::timeout) {
        return fail(HttpsError::kTimeout, "no response from " + where + " in time");
    }
    if (ec) {
        // A TLS 1.3 server refuses our certificate after the handshake: it surfaces here.
        bool tls = ec.category() == asio::error::get_ssl_category();
        return fail(tls ? HttpsError::kTls : HttpsError::kProtocol,
                    "request to " + where + " failed: " + ec.message());
    }
    HttpsResponse response;
    const auto& message = parser.get();
    response.status = static_cast<int>(message.result_int());
    for (const auto& field : message) {
        std::string name(field.name_string());
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        response.headers[name] = std::string(field.value());
    }
    response.body = message.body();
    return response;
}

}  // namespace

struct HttpsClient::Impl {
    HttpsClientOptions options;
    ssl::context context{ssl::context::tls_client};
};

HttpsClient::HttpsClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpsClient::HttpsClient(HttpsClient&&) noexcept = default;
HttpsClient& HttpsClient::operator=(HttpsClient&&) noexcept = default;
HttpsClient::~HttpsClient() = default;

Result<HttpsClient> HttpsClient::create(HttpsClientOptions options) {
    auto impl = std::make_unique<Impl>();
    impl->options = std::move(options);
    auto& context = impl->context;
    const auto& o = impl->options;
    if (o.plain) {
        return HttpsClient(std::move(impl));
    }
    SSL_CTX_set_min_proto_version(context.native_handle(), TLS1_2_VERSION);
    beast::error_code ec;
    if (o.ca_file.empty()) {
        context.set_default_verify_paths(ec);
    } else {
        context.load_verify_file(o.ca_file, ec);
    }
    if (ec) {
        return make_error("cannot load CA " + (o.ca_file.empty() ? "(system)" : o.ca_file) + ": " +
                          ec.message());
    }
    context.set_verify_mode(o.verify ? ssl::verify_peer : ssl::verify_none);
    if (!o.cert_file.empty()) {
        context.use_certificate_chain_file(o.cert_file, ec);
        if (ec) {
            return make_error("cannot load client certificate " + o.cert_file + ": " +
                              ec.message());
        }
        const std::string& key = o.key_file.empty() ? o.cert_file : o.key_file;
        context.use_private_key_file(key, ssl::context::pem, ec);
        if (ec || SSL_CTX_check_private_key(context.native_handle()) != 1) {
            return make_error("cannot load a private key matching the certificate from " + key);
        }
    }
    return HttpsClient(std::move(impl));
}

Result<HttpsResponse> HttpsClient::request(const HttpsRequest& request) const {
    const auto& o = impl_->options;
    asio::io_context io;
    beast::error_code ec;
    auto address = asio::ip::make_address(request.host, ec);
    const bool host_is_address = !ec;
    tcp::resolver::results_type endpoints;
    if (!host_is_address) {
        tcp::resolver resolver(io);
        endpoints = resolver.resolve(request.host, std::to_string(request.port), ec);
        if (ec) {
            return fail(HttpsError::kConnect, "cannot resolve " + request.host);
        }
    } else {
        endpoints = tcp::resolver::results_type::create(tcp::endpoint(address, request.port),
                                                        request.host, "");
    }
    const std::string where = request.host + ":" + std::to_string(request.port);
    if (o.plain) {
        beast::tcp_stream stream(io);
        stream.expires_after(o.connect_timeout);
        ec = run_step(io, [&](auto done) { stream.async_connect(endpoints, done); });
        if (ec) {
            return fail(HttpsError::kConnect, "cannot connect to " + where + ": " + ec.message());
        }
        auto response = exchange(io, stream, request, o, where);
        stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        return response;
    }
    beast::ssl_stream<beast::tcp_stream> stream(io, impl_->context);
    SSL* ssl_handle = stream.native_handle();
    if (!host_is_address && SSL_set_tlsext_host_name(ssl_handle, request.host.c_str()) != 1) {
        return fail(HttpsError::kTls, "bad server name " + request.host);
    }
    if (auto named = expect_name(ssl_handle, request.expected_server_name); !named) {
        return fail(HttpsError::kTls, named.error().message);
    }
    auto& lowest = beast::get_lowest_layer(stream);
    lowest.expires_after(o.connect_timeout);
    ec = run_step(io, [&](auto done) { lowest.async_connect(endpoints, done); });
    if (ec) {
        return fail(HttpsError::kConnect, "cannot connect to " + where + ": " + ec.message());
    }
    ec = run_step(io, [&](auto done) { stream.async_handshake(ssl::stream_base::client, done); });
    if (ec) {
        long verify = SSL_get_verify_result(ssl_handle);
        std::string reason =
            verify != X509_V_OK ? X509_verify_cert_error_string(verify) : ec.message();
        return fail(ec == beast::error::timeout ? HttpsError::kConnect : HttpsError::kTls,
                    "TLS handshake with " + where + " failed: " + reason);
    }
    auto response = exchange(io, stream, request, o, where);
    if (response) {
        lowest.expires_after(std::chrono::seconds(1));
        run_step(io, [&](auto done) { stream.async_shutdown(done); });
    }
    return response;
}

}  // namespace octane::http
