// The thread of a peers::Service: one poll() loop over the listener, the wake-up eventfd and the
// connections; timers are checked every turn (at most 1 s apart).

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/io/socket_ops.h"
#include "proxy/peers/service.h"

namespace octane::proxy::peers {

namespace {

using std::chrono::milliseconds;

// HAProxy's timers: a heartbeat after 3 s of silence, a peer silent for 5 s is dropped.
constexpr milliseconds kHeartbeatAfter{3000};
constexpr milliseconds kDeadAfter{5000};
constexpr milliseconds kBackoffMin{100};
constexpr milliseconds kBackoffMax{5000};
constexpr milliseconds kMaxPollWait{1000};
constexpr size_t kMaxOutput = 16 << 20;  // a peer that reads nothing is dropped, then resynced

// A non-blocking connect from our own peer address: the pair's firewall admits the peers port
// from the other amphora's VRRP address only, and the VIP beside it must not become the source.
Result<int> connect_from(const Endpoint& local, const Endpoint& remote) {
    int fd = ::socket(remote.family(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return make_error("socket failed");
    }
    set_nodelay(fd);
    Endpoint source = local;
    source.set_port(0);
    if ((source.family() == remote.family() && ::bind(fd, source.sa(), source.length) < 0) ||
        (::connect(fd, remote.sa(), remote.length) < 0 && errno != EINPROGRESS)) {
        ::close(fd);
        return make_error("connect failed");
    }
    return fd;
}

// Writes what the session has queued; false when the connection failed.
bool flush(int fd, std::string& out, std::chrono::steady_clock::time_point& last_tx) {
    while (!out.empty()) {
        ssize_t n = ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
        if (n < 0) {
            return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
        }
        out.erase(0, static_cast<size_t>(n));
        last_tx = std::chrono::steady_clock::now();
    }
    return true;
}

}  // namespace

void Service::run() {
    std::vector<pollfd> pfds;
    std::vector<Conn*> polled;
    while (!quit_.load()) {
        auto now = Clock::now();
        if (soft_stop_.load() && !soft_stopping_) {
            begin_soft_stop();
        }
        if (soft_stopping_ && now >= handover_deadline_) {
            mark_handed_over();
        }
        push_fresh_entries();
        if (!soft_stopping_) {
            connect_due_links();
        }
        expire_and_heartbeat(now);

        pfds.clear();
        polled.clear();
        pfds.push_back(pollfd{wake_fd_, POLLIN, 0});
        pfds.push_back(pollfd{listen_fd_, static_cast<short>(listen_fd_ >= 0 ? POLLIN : 0), 0});
        for (Conn& c : conns_) {
            short ev = POLLIN;
            if (c.connecting || !c.session->out().empty()) {
                ev |= POLLOUT;
            }
            pfds.push_back(pollfd{c.fd, ev, 0});
            polled.push_back(&c);
        }
        if (::poll(pfds.data(), pfds.size(), poll_timeout_ms(now)) < 0 && errno != EINTR) {
            break;
        }
        if (pfds[0].revents & POLLIN) {
            uint64_t v = 0;
            ssize_t n = ::read(wake_fd_, &v, sizeof v);
            (void)n;
        }
        if (listen_fd_ >= 0 && (pfds[1].revents & POLLIN)) {
            accept_new();
        }
        for (size_t i = 0; i < polled.size(); ++i) {
            serve(*polled[i], pfds[i + 2].revents);
        }
    }
    for (auto it = conns_.begin(); it != conns_.end();) {
        it = drop(it);
    }
}

void Service::begin_soft_stop() {
    soft_stopping_ = true;
    // Our copy of the listener goes: the new process accepts on the shared queue.
    ::close(listen_fd_);
    listen_fd_ = -1;
    for (auto it = conns_.begin(); it != conns_.end();) {
        it = drop(it);
    }
    Conn* c = connect_to(cfg_.local, cfg_.local_name);
    if (c == nullptr) {
        mark_handed_over();
    } else {
        c->handover = true;
    }
    handover_deadline_ = Clock::now() + kDeadAfter;
}

void Service::push_fresh_entries() {
    std::vector<std::pair<size_t, Entry>> fresh;
    {
        std::lock_guard<std::mutex> lock(mu_);
        fresh.swap(queue_);
    }
    for (auto& [t, e] : fresh) {
        ++update_ids_[t];
        for (Conn& c : conns_) {
            if (c.session->established() && c.link >= 0) {
                c.session->push(t, update_ids_[t], e);
            }
        }
    }
}

void Service::connect_due_links() {
    auto now = Clock::now();
    for (size_t i = 0; i < links_.size(); ++i) {
        Link& l = links_[i];
        if (l.conn != nullptr || now < l.next_attempt) {
            continue;
        }
        l.conn = connect_to(l.ep, l.name);
        if (l.conn == nullptr) {
            retry_later(l);
        } else {
            l.conn->link = static_cast<int>(i);
        }
    }
}

void Service::expire_and_heartbeat(Clock::time_point now) {
    for (auto it = conns_.begin(); it != conns_.end();) {
        if (it->dead || it->session->closed() || now - it->last_rx >= kDeadAfter) {
            it = drop(it);
            continue;
        }
        if (it->session->established() && now - it->last_tx >= kHeartbeatAfter &&
            it->session->out().empty()) {
            it->session->send_control(kHeartbeat);
        }
        ++it;
    }
}

int Service::poll_timeout_ms(Clock::time_point now) const {
    auto next = now + kMaxPollWait;
    for (const auto& l : links_) {
        if (l.conn == nullptr && !soft_stopping_) {
            next = std::min(next, l.next_attempt);
        }
    }
    return static_cast<int>(
        std::max<int64_t>(0, std::chrono::duration_cast<milliseconds>(next - now).count()));
}

void Service::accept_new() {
    for (int i = 0; i < 16; ++i) {
        int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            return;
        }
        set_nodelay(fd);
        add_conn(fd, Session::Side::kAccept, {});
    }
}

void Service::serve(Conn& c, short revents) {
    if (c.connecting && (revents & (POLLOUT | POLLERR | POLLHUP))) {
        if (socket_error(c.fd) != 0) {
            c.dead = true;
            return;
        }
        c.connecting = false;
    }
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
        char buf[65536];
        std::vector<SessionEvent> events;
        for (int rounds = 0; rounds < 64; ++rounds) {
            ssize_t n = ::recv(c.fd, buf, sizeof buf, 0);
            if (n > 0) {
                c.last_rx = Clock::now();
                c.session->feed(std::string_view(buf, static_cast<size_t>(n)), events);
                continue;
            }
            if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
                c.dead = true;
            }
            break;
        }
        on_events(c, events);
    }
    if (!c.connecting &&
        (!flush(c.fd, c.session->out(), c.last_tx) || c.session->out().size() > kMaxOutput)) {
        c.dead = true;
    }
}

void Service::on_events(Conn& c, std::vector<SessionEvent>& events) {
    for (SessionEvent& ev : events) {
        switch (ev.kind) {
            case SessionEvent::kEstablished:
                on_established(c);
                break;
            case SessionEvent::kLearned:
                if (ev.table < cfg_.tables.size()) {
                    cfg_.tables[ev.table].learn(ev.entry);
                }
                break;
            case SessionEvent::kResyncRequested:
                teach(c);
                break;
            case SessionEvent::kResyncFinished:
                taught_ = true;
                break;
            case SessionEvent::kResyncConfirmed:
                if (c.handover) {
                    mark_handed_over();
                }
                break;
            case SessionEvent::kClosed:
                std::fprintf(stderr, "[WARNING] peers '%s': peer '%s': %s\n", cfg_.section.c_str(),
                             c.session->peer().c_str(), ev.text.c_str());
                break;
        }
    }
}

void Service::on_established(Conn& c) {
    if (c.session->peer() == cfg_.local_name) {
        // Our own name: the old process of a reload teaching us (we only learn from it), or, on
        // soft stop, us teaching the new process.
        if (c.handover) {
            teach(c);
        }
        return;
    }
    for (size_t i = 0; i < links_.size(); ++i) {
        if (links_[i].name != c.session->peer()) {
            continue;
        }
        // Both ends connected at once: the accepted one wins, as in HAProxy; the loser retries
        // after a random delay.
        if (links_[i].conn != nullptr && links_[i].conn != &c) {
            links_[i].conn->session->out().clear();
            links_[i].conn->link = -1;
            links_[i].conn->dead = true;
        }
        c.link = static_cast<int>(i);
        links_[i].conn = &c;
        links_[i].backoff = milliseconds(0);
    }
    if (!taught_) {
        c.session->send_control(kResyncRequest);
    }
    push_all(c);
}

void Service::push_all(Conn& c) {
    for (size_t t = 0; t < cfg_.tables.size(); ++t) {
        for (const Entry& e : cfg_.tables[t].entries()) {
            c.session->push(t, ++update_ids_[t], e);
        }
    }
}

void Service::teach(Conn& c) {
    push_all(c);
    c.session->send_control(kResyncFinished);
}

Service::Conn& Service::add_conn(int fd, Session::Side side, const std::string& remote) {
    conns_.push_back(Conn{});
    Conn& c = conns_.back();
    c.fd = fd;
    c.connecting = side == Session::Side::kConnect;
    c.session = std::make_unique<Session>(side, session_cfg_, remote);
    c.last_rx = c.last_tx = Clock::now();
    return c;
}

Service::Conn* Service::connect_to(const Endpoint& ep, const std::string& name) {
    auto fd = connect_from(cfg_.local, ep);
    return fd ? &add_conn(*fd, Session::Side::kConnect, name) : nullptr;
}

std::list<Service::Conn>::iterator Service::drop(std::list<Conn>::iterator it) {
    if (it->link >= 0 && links_[it->link].conn == &*it) {
        links_[it->link].conn = nullptr;
        retry_later(links_[it->link]);
    }
    if (it->handover) {
        mark_handed_over();
    }
    ::close(it->fd);
    return conns_.erase(it);
}

void Service::retry_later(Link& l) {
    l.backoff = std::min(kBackoffMax, std::max(kBackoffMin, l.backoff * 2));
    std::uniform_int_distribution<int> jitter(0, static_cast<int>(l.backoff.count() / 2));
    l.next_attempt = Clock::now() + l.backoff + milliseconds(jitter(rng_));
}

}  // namespace octane::proxy::peers
