#pragma once

// The byte stream of one connection: a plain socket, or TLS over it. The sessions call these
// instead of recv/send, so plain connections pay one predictable branch per call, not a virtual
// call, and TLS connections go through OpenSSL (tls/tls_stream.cc).
//
// Results are recv/send's: > 0 bytes, 0 = end of stream, -1 with errno (EAGAIN: would block).
// TLS reads fill the buffer until OpenSSL would block, so a short read still means "drained: wait
// for the next edge", as the edge-triggered sessions assume of a plain socket. A TLS operation
// may block on the other direction (a handshake step inside a read or a write): the flags say so,
// and the session retries that operation on the other event.

#include <sys/socket.h>
#include <sys/types.h>

typedef struct ssl_st SSL;

namespace octane::proxy {

struct Transport {
    int fd = -1;
    SSL* ssl = nullptr;
    bool read_wants_write = false;
    bool write_wants_read = false;
    bool failed = false;  // a TLS error: the session must not be resumed

    ssize_t recv(char* buf, size_t n) {
        return ssl == nullptr ? ::recv(fd, buf, n, 0) : tls_recv(buf, n);
    }
    ssize_t send(const char* buf, size_t n) {
        return ssl == nullptr ? ::send(fd, buf, n, MSG_NOSIGNAL) : tls_send(buf, n);
    }
    // Our half of the stream ends: close_notify first on TLS, then the TCP FIN.
    int shutdown_write();
    // Decrypted bytes OpenSSL holds that no epoll edge will announce.
    bool has_pending() const;
    bool handshake_done() const;
    // Drives a TLS handshake on its own: 1 done, 0 would block (the flags say on what), -1 failed.
    int handshake();
    // Frees the TLS state (the fd is the caller's to close).
    void release_tls();

  private:
    ssize_t tls_recv(char* buf, size_t n);
    ssize_t tls_send(const char* buf, size_t n);
};

}  // namespace octane::proxy
