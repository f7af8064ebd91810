#pragma once

// A listening socket shared by every worker thread. Each worker registers it in its own epoll
// with EPOLLEXCLUSIVE, so a new connection wakes one worker that is idle in epoll_wait; a worker
// busy with traffic (or sharing its CPU with other processes) does not take new connections
// while another one waits for work. HAProxy 2.6 likewise shares one socket between threads.
// Rejected: one SO_REUSEPORT socket per thread, whose static hash hands half the connections to
// a thread that may be the busiest one. The worker that accepts still passes a connection on when
// another worker serves fewer sessions (Worker::least_loaded): one idle worker would otherwise
// take a whole burst.
// Ownership: the process creates it with one reference per worker; the last worker to let go
// (soft stop, shutdown) closes the fd, so a soft-stopped process stops queueing connections.

#include <atomic>

#include <unistd.h>

namespace octane::proxy {

namespace tls {
class FrontendTls;
}

class ListenSocket {
  public:
    ListenSocket(int fd, int users, const tls::FrontendTls* tls = nullptr)
        : fd_(fd), users_(users), tls_(tls) {}
    ListenSocket(const ListenSocket&) = delete;
    ListenSocket& operator=(const ListenSocket&) = delete;

    int fd() const { return fd_; }
    // The bind's TLS termination, null for a plain bind.
    const tls::FrontendTls* tls() const { return tls_; }
    // Thread-safe; the caller must have removed the fd from its own epoll first.
    void release() {
        if (users_.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            close(fd_);
        }
    }

  private:
    int fd_;
    std::atomic<int> users_;
    const tls::FrontendTls* tls_;
};

}  // namespace octane::proxy
