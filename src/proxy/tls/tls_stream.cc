// Transport's TLS half (io/transport.h): non-blocking SSL_read/SSL_write mapped to recv/send
// results.

#include <cerrno>
#include <climits>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "proxy/io/transport.h"

namespace octane::proxy {
namespace {

int clamp(size_t n) {
    return n > INT_MAX ? INT_MAX : static_cast<int>(n);
}

}  // namespace

ssize_t Transport::tls_recv(char* buf, size_t n) {
    size_t got = 0;
    read_wants_write = false;
    // Bounded by the buffer: every pass adds at least one byte or leaves.
    while (got < n) {
        ERR_clear_error();
        int r = SSL_read(ssl, buf + got, clamp(n - got));
        if (r > 0) {
            got += static_cast<size_t>(r);
            continue;
        }
        int err = SSL_get_error(ssl, r);
        if (got > 0) {
            break;  // an end or an error shows again on the next call
        }
        switch (err) {
            case SSL_ERROR_WANT_READ:
                errno = EAGAIN;
                return -1;
            case SSL_ERROR_WANT_WRITE:
                read_wants_write = true;
                errno = EAGAIN;
                return -1;
            case SSL_ERROR_ZERO_RETURN:
                return 0;
            default:
                ERR_clear_error();
                failed = true;
                errno = ECONNRESET;
                return -1;
        }
    }
    return static_cast<ssize_t>(got);
}

ssize_t Transport::tls_send(const char* buf, size_t n) {
    write_wants_read = false;
    ERR_clear_error();
    int r = SSL_write(ssl, buf, clamp(n));
    if (r > 0) {
        return r;
    }
    switch (SSL_get_error(ssl, r)) {
        case SSL_ERROR_WANT_WRITE:
            errno = EAGAIN;
            return -1;
        case SSL_ERROR_WANT_READ:
            write_wants_read = true;
            errno = EAGAIN;
            return -1;
        default:
            ERR_clear_error();
            failed = true;
            errno = EPIPE;
            return -1;
    }
}

int Transport::shutdown_write() {
    if (ssl != nullptr && SSL_is_init_finished(ssl)) {
        ERR_clear_error();
        SSL_shutdown(ssl);  // sends close_notify; the peer's is not waited for
        ERR_clear_error();
    }
    return ::shutdown(fd, SHUT_WR);
}

int Transport::handshake() {
    read_wants_write = write_wants_read = false;
    ERR_clear_error();
    int r = SSL_do_handshake(ssl);
    if (r == 1) {
        return 1;
    }
    switch (SSL_get_error(ssl, r)) {
        case SSL_ERROR_WANT_READ:
            write_wants_read = true;
            return 0;
        case SSL_ERROR_WANT_WRITE:
            read_wants_write = true;
            return 0;
        default:
            ERR_clear_error();
            failed = true;
            return -1;
    }
}

bool Transport::has_pending() const {
    return ssl != nullptr && SSL_pending(ssl) > 0;
}

bool Transport::handshake_done() const {
    return ssl == nullptr || SSL_is_init_finished(ssl);
}

void Transport::release_tls() {
    if (ssl == nullptr) {
        return;
    }
    // OpenSSL invalidates the session of a connection freed without close_notify, and most peers
    // (HTTP clients, servers closing idle connections) close without one: a connection that ended
    // without a TLS error keeps its session resumable, as TLS 1.3 allows.
    if (!failed && SSL_is_init_finished(ssl)) {
        SSL_set_shutdown(ssl, SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
    }
    SSL_free(ssl);
    ssl = nullptr;
    failed = false;
}

}  // namespace octane::proxy
