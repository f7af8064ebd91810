#include "proxy/runtime/worker.h"

#include <atomic>
#include <cerrno>

#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/io/socket_ops.h"
#include "proxy/l7/exchange_pool.h"
#include "proxy/runtime/session_factory.h"
#include "proxy/runtime/worker_team.h"

namespace octane::proxy {

void Listener::on_io(uint32_t, unsigned) {
    accept_all();
}

void Listener::close_fd() {
    if (sock_ != nullptr) {
        // Always deregister: the other workers keep the socket open, and epoll would go on
        // reporting it to this worker.
        worker_.loop().remove(sock_->fd());
        sock_->release();
        sock_ = nullptr;
    }
}

bool Listener::at_limit() const {
    const Snapshot& snap = worker_.snapshot();
    return snap.cur_conns.load(std::memory_order_relaxed) >= snap.maxconn ||
           (fe_.maxconn > 0 && fe_.counters.scur.load(std::memory_order_relaxed) >= fe_.maxconn);
}

void Listener::stop_accepting() {
    if (sock_ == nullptr) {
        return;
    }
    worker_.loop().remove(sock_->fd());
    // Bounded: a full default backlog; the next process takes whatever keeps arriving.
    accept_all(4096);
    sock_->release();
    sock_ = nullptr;
}

bool Listener::accept_all(size_t max) {
    for (size_t taken = 0; sock_ != nullptr && taken < max; ++taken) {
        // Limits are checked before accept(): a refused connection stays queued in the kernel
        // (as HAProxy pauses its listeners), it is not accepted-then-closed.
        if (at_limit()) {
            paused_ = true;
            worker_.note_paused();
            // A slot freed between the check and the mark found nobody to wake: look again.
            std::atomic_thread_fence(std::memory_order_seq_cst);
            if (at_limit()) {
                return false;
            }
            continue;
        }
        sockaddr_storage peer{};
        socklen_t len = sizeof(peer);
        int fd = accept4(sock_->fd(), reinterpret_cast<sockaddr*>(&peer), &len,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd == -1) {
            if (errno == EINTR || errno == ECONNABORTED) {
                continue;
            }
            // EAGAIN: drained. EMFILE/ENFILE: out of fds; retry on the next close.
            if (errno == EMFILE || errno == ENFILE) {
                paused_ = true;
                worker_.note_paused();
                return false;
            }
            break;
        }
        paused_ = false;
        // No Nagle towards clients: the accepted socket has TCP_NODELAY from its listener
        // (open_listener), one system call per connection less than setting it here.
        Worker& target = worker_.least_loaded();
        // Counted here, before it may travel to another thread, so that the limits checked by
        // the next accept (in any thread) already see it.
        target.session_opened();
        fe_.counters.open_session();
        Snapshot& snap = worker_.snapshot();
        snap.cur_conns.fetch_add(1, std::memory_order_relaxed);
        snap.cum_conns.fetch_add(1, std::memory_order_relaxed);
        worker_.activity().accepted.fetch_add(1, std::memory_order_relaxed);
        target.activity().accq_pushed.fetch_add(1, std::memory_order_relaxed);
        Endpoint from = endpoint_from(reinterpret_cast<sockaddr*>(&peer), len);
        if (&target == &worker_) {
            start_session(worker_, fe_, fd, from, sock_->tls());
        } else {
            target.adopt(fe_, fd, from, sock_->tls());
        }
    }
    paused_ = false;
    return true;
}

Worker::Worker(Snapshot& snap, int index, AccessLog* log, WorkerTeam& team)
    : snap_(snap),
      index_(index),
      log_(log),
      exchanges_(std::make_unique<ExchangePool>()),
      team_(team) {
    loop_.set_idle_hook([this] { retry_paused_listeners(); });
}

void Worker::retry_paused_listeners() {
    if (any_paused_ && !stopping_) {
        resume_paused();
    }
}

ThreadActivity& Worker::activity() {
    return team_.activity[static_cast<size_t>(index_)];
}

Worker::~Worker() {
    for (auto& l : listeners_) {
        l->close_fd();
    }
}

void Worker::add_listener(FrontendState& fe, ListenSocket& sock) {
    auto l = std::make_unique<Listener>(*this, fe, sock);
    // Edge-triggered and exclusive: one idle worker wakes per burst and accepts until EAGAIN,
    // so nothing is left queued without a pending wakeup.
    loop_.add(sock.fd(), EPOLLIN | EPOLLEXCLUSIVE, l.get());
    listeners_.push_back(std::move(l));
}

void Worker::run() {
    loop_.run();
}

void Worker::soft_stop() {
    loop_.post([this] {
        stopping_ = true;
        for (auto& l : listeners_) {
            l->stop_accepting();
        }
        // Sessions may unlink themselves while reacting: walk with the next pointer saved.
        for (SoftStoppable* s = stoppables_; s != nullptr;) {
            SoftStoppable* next = s->next_;
            s->on_soft_stop();
            s = next;
        }
        // A worker still accepting may hand this one a connection (least_loaded) even when it
        // has no session left: its loop must still run to take it. The last worker to stop
        // accepting lets the others check again; a hand-over it made was posted before, so
        // it is served first.
        if (team_.accepting.fetch_sub(1, std::memory_order_acq_rel) == 1) {
            for (Worker* w : team_.workers) {
                if (w != this) {
                    w->loop().post([w] { w->exit_if_done(); });
                }
            }
        }
        exit_if_done();
    });
}

void Worker::exit_if_done() {
    if (stopping_ && sessions() == 0 && team_.accepting.load(std::memory_order_acquire) == 0) {
        loop_.stop();
    }
}

void Worker::link(SoftStoppable* s) {
    s->prev_ = nullptr;
    s->next_ = stoppables_;
    if (stoppables_ != nullptr) {
        stoppables_->prev_ = s;
    }
    stoppables_ = s;
}

void Worker::unlink(SoftStoppable* s) {
    if (s->prev_ != nullptr) {
        s->prev_->next_ = s->next_;
    } else if (stoppables_ == s) {
        stoppables_ = s->next_;
    }
    if (s->next_ != nullptr) {
        s->next_->prev_ = s->prev_;
    }
    s->prev_ = s->next_ = nullptr;
}

Worker& Worker::least_loaded() {
    Worker* best = this;
    int64_t fewest = sessions();
    for (Worker* w : team_.workers) {
        int64_t n = w->sessions();
        if (n < fewest) {
            best = w;
            fewest = n;
        }
    }
    return *best;
}

void Worker::adopt(FrontendState& fe, int fd, const Endpoint& peer, const tls::FrontendTls* tls) {
    loop_.post([this, &fe, fd, peer, tls] { start_session(*this, fe, fd, peer, tls); });
}

void Worker::note_paused() {
    any_paused_ = true;
    team_.paused.mark(index_);
}

void Worker::post_resume() {
    loop_.post([this] { retry_paused_listeners(); });
}

void Worker::session_closed() {
    sessions_.fetch_sub(1, std::memory_order_relaxed);
    team_.paused.wake();
    exit_if_done();
}

void Worker::resume_paused() {
    any_paused_ = false;
    for (auto& l : listeners_) {
        if (l->paused()) {
            l->accept_all();
        }
    }
}

}  // namespace octane::proxy
