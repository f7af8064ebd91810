#pragma once

// The listening half shared by the plain and the TLS server: binding, an accept loop that admits
// each connection through ConnectionLimits, and the reading of requests under three deadlines.
// Included only by http_server.cc and tls_server.cc, so Asio stays out of every other unit.
//
// Why the deadlines are split: one timer over a whole request let a client hold a connection for
// minutes by sending its head a byte at a time. Now the head must be complete within
// header_timeout (from the accept, or from the first byte of a later keep-alive request), an idle
// keep-alive connection is closed after keepalive_timeout, and the body has body_timeout.

#include <algorithm>
#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include "common/result.h"
#include "http/connection_limits.h"
#include "http/http_server.h"

namespace octane::http {

namespace accept_detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = asio::ip::tcp;
}  // namespace accept_detail

// Opens, binds (SO_REUSEADDR) and listens; returns the bound port.
inline Result<uint16_t> open_acceptor(accept_detail::tcp::acceptor& acceptor,
                                      const HttpServerOptions& options) {
    using namespace accept_detail;
    beast::error_code ec;
    auto address = asio::ip::make_address(options.bind_host, ec);
    if (ec) {
        return make_error("invalid bind address " + options.bind_host);
    }
    tcp::endpoint endpoint(address, options.bind_port);
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) {
        acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    }
    if (!ec) {
        acceptor.bind(endpoint, ec);
    }
    if (!ec) {
        acceptor.listen(asio::socket_base::max_listen_connections, ec);
    }
    if (ec) {
        return make_error("cannot listen on " + options.bind_host + ":" +
                          std::to_string(options.bind_port) + ": " + ec.message());
    }
    return acceptor.local_endpoint(ec).port();
}

// Accepts until the acceptor is closed or its io_context stops. A connection beyond the limits
// is closed at once. When accept fails for want of descriptors or memory, the connection stays
// queued in the kernel and a retry would fail at once again, spinning a core: the loop waits,
// 10 ms doubling up to 1 s, and resumes at the normal pace after the next success.
class AcceptLoop {
  public:
    using Start = std::function<void(accept_detail::tcp::socket, ConnectionLimits::Ticket ticket)>;

    AcceptLoop(accept_detail::asio::io_context& io, accept_detail::tcp::acceptor& acceptor,
               ConnectionLimits& limits, Start start)
        : io_(io), acceptor_(acceptor), limits_(limits), start_(std::move(start)), timer_(io) {}

    void run() { accept(); }

  private:
    static constexpr auto kFirstBackOff = std::chrono::milliseconds(10);
    static constexpr auto kLastBackOff = std::chrono::milliseconds(1000);

    static bool out_of_resources(const accept_detail::beast::error_code& ec) {
        namespace errc = boost::system::errc;
        return ec == errc::too_many_files_open || ec == errc::too_many_files_open_in_system ||
               ec == errc::no_buffer_space || ec == errc::not_enough_memory;
    }

    void accept() {
        using namespace accept_detail;
        acceptor_.async_accept(
            asio::make_strand(io_), [this](beast::error_code ec, tcp::socket socket) {
                if (ec == asio::error::operation_aborted) {
                    return;
                }
                if (out_of_resources(ec)) {
                    spdlog::warn("accept: {}; next try in {} ms", ec.message(), back_off_.count());
                    timer_.expires_after(back_off_);
                    back_off_ = std::min(back_off_ * 2, std::chrono::milliseconds(kLastBackOff));
                    timer_.async_wait([this](beast::error_code waited) {
                        if (!waited) {
                            accept();
                        }
                    });
                    return;
                }
                if (!ec) {
                    back_off_ = kFirstBackOff;
                    admit(std::move(socket));
                }
                accept();
            });
    }

    void admit(accept_detail::tcp::socket socket) {
        using namespace accept_detail;
        beast::error_code ec;
        auto peer = socket.remote_endpoint(ec);
        if (ec) {
            return;  // already gone
        }
        std::string client = peer.address().to_string();
        auto ticket = limits_.admit(client);
        if (!ticket) {
            spdlog::debug("connection from {} refused: {} open, {} from it", client, limits_.open(),
                          limits_.open_from(client));
            socket.close(ec);
            return;
        }
        socket.set_option(tcp::no_delay(true), ec);
        start_(std::move(socket), std::move(*ticket));
    }

    accept_detail::asio::io_context& io_;
    accept_detail::tcp::acceptor& acceptor_;
    ConnectionLimits& limits_;
    Start start_;
    accept_detail::asio::steady_timer timer_;
    std::chrono::milliseconds back_off_ = kFirstBackOff;
};

// The request-reading half of a session (CRTP). Derived provides stream() (what is read:
// a beast::tcp_stream or a TLS stream over one), transport() (the tcp_stream, which holds the
// deadline), options(), on_read(error_code) (the request is in parser_ or failed) and close().
template <typename Derived>
class RequestReader {
  protected:
    // A request on a fresh connection: the head within header_timeout of the accept.
    void read_request() {
        using namespace accept_detail;
        auto& self = derived();
        parser_.emplace();
        parser_->body_limit(self.options().max_body_bytes);
        parser_->header_limit(64 * 1024);
        self.transport().expires_after(self.options().header_timeout);
        bhttp::async_read_header(
            self.stream(), buffer_, *parser_,
            [me = self.shared_from_this()](beast::error_code ec, size_t) { me->read_body(ec); });
    }

    // After a keep-alive answer: the next request may take keepalive_timeout to begin; its head
    // then has header_timeout (bytes already buffered count as its beginning).
    void await_next_request() {
        using namespace accept_detail;
        auto& self = derived();
        if (buffer_.size() > 0) {
            return read_request();
        }
        self.transport().expires_after(self.options().keepalive_timeout);
        self.stream().async_read_some(
            buffer_.prepare(4096), [me = self.shared_from_this()](beast::error_code ec, size_t n) {
                if (ec) {
                    return me->close();
                }
                me->buffer_.commit(n);
                me->read_request();
            });
    }

    accept_detail::beast::flat_buffer buffer_;
    std::optional<accept_detail::bhttp::request_parser<accept_detail::bhttp::string_body>> parser_;

  private:
    Derived& derived() { return static_cast<Derived&>(*this); }

    void read_body(accept_detail::beast::error_code ec) {
        using namespace accept_detail;
        auto& self = derived();
        if (ec || parser_->is_done()) {
            return self.on_read(ec);
        }
        self.transport().expires_after(self.options().body_timeout);
        bhttp::async_read(
            self.stream(), buffer_, *parser_,
            [me = self.shared_from_this()](beast::error_code e, size_t) { me->on_read(e); });
    }
};

}  // namespace octane::http
