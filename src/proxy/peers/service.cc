#include "proxy/peers/service.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <list>
#include <random>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/io/socket_ops.h"
#include "proxy/peers/session.h"

namespace octane::proxy::peers {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

// HAProxy's timers: a heartbeat after 3 s of silence, a peer silent for 5 s is dropped.
constexpr milliseconds kHeartbeatAfter{3000};
constexpr milliseconds kDeadAfter{5000};
constexpr milliseconds kBackoffMin{100};
constexpr milliseconds kBackoffMax{5000};
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

}  // namespace

struct Service::Conn {
    int fd = -1;
    std::unique_ptr<Session> session;
    bool connecting = false;
    int link = -1;          // index in links once the peer is known
    bool handover = false;  // our own connection to the new process, on soft stop
    Clock::time_point last_rx, last_tx;
};

Service::Service(ServiceConfig cfg) : cfg_(std::move(cfg)) {
    for (size_t i = 0; i < cfg_.tables.size(); ++i) {
        cfg_.tables[i].def.id = i + 1;
        defs_.push_back(cfg_.tables[i].def);
    }
}

Result<std::unique_ptr<Service>> Service::open(ServiceConfig cfg) {
    std::unique_ptr<Service> s(new Service(std::move(cfg)));
    if (s->cfg_.inherited_fd >= 0) {
        s->listen_fd_ = s->cfg_.inherited_fd;
    } else {
        auto fd = open_listener(s->cfg_.local, 64);
        if (!fd) {
            return make_error("peers '" + s->cfg_.section + "': " + fd.error().message);
        }
        s->listen_fd_ = *fd;
    }
    s->wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (s->wake_fd_ < 0) {
        return make_error("peers: eventfd failed");
    }
    return s;
}

Service::~Service() {
    stop(milliseconds(0));
    if (listen_fd_ >= 0) {
        ::close(listen_fd_);
    }
    if (wake_fd_ >= 0) {
        ::close(wake_fd_);
    }
}

void Service::start() {
    thread_ = std::thread([this] { run(); });
}

void Service::wake() {
    uint64_t one = 1;
    ssize_t n = ::write(wake_fd_, &one, sizeof one);
    (void)n;
}

void Service::publish(size_t table, Entry e) {
    {
        std::lock_guard<std::mutex> lock(mu_);
        queue_.emplace_back(table, std::move(e));
    }
    wake();
}

void Service::mark_handed_over() {
    {
        std::lock_guard<std::mutex> lock(mu_);
        handed_over_ = true;
    }
    handed_over_cv_.notify_all();
}

void Service::soft_stop() {
    soft_stop_.store(true);
    wake();
}

void Service::stop(milliseconds grace) {
    if (!thread_.joinable()) {
        return;
    }
    if (soft_stop_.load()) {
        std::unique_lock<std::mutex> lock(mu_);
        handed_over_cv_.wait_for(lock, grace, [this] { return handed_over_; });
    }
    quit_.store(true);
    wake();
    thread_.join();
}

void Service::run() {
    struct Link {
        std::string name;
        Endpoint ep;
        Conn* conn = nullptr;
        Clock::time_point next_attempt;
        milliseconds backoff{0};
    };
    std::vector<Link> links;
    for (const auto& [name, ep] : cfg_.remotes) {
        links.push_back(Link{name, ep, nullptr, Clock::now(), milliseconds(0)});
    }
    std::vector<std::string> known;
    for (const auto& l : links) {
        known.push_back(l.name);
    }
    known.push_back(cfg_.local_name);
    Session::Config scfg{cfg_.local_name, known, &defs_, static_cast<long>(getpid())};
    std::list<Conn> conns;
    std::mt19937 rng(static_cast<unsigned>(getpid()));
    std::vector<uint32_t> update_ids(defs_.size(), 0);
    bool taught = false;  // a peer finished a full resync for us
    bool soft_stopping = false;
    Clock::time_point handover_deadline;

    auto push_all = [&](Conn& c) {
        for (size_t t = 0; t < cfg_.tables.size(); ++t) {
            for (const Entry& e : cfg_.tables[t].entries()) {
                c.session->push(t, ++update_ids[t], e);
            }
        }
    };
    auto retry_later = [&](Link& l) {
        l.backoff = std::min(kBackoffMax, std::max(kBackoffMin, l.backoff * 2));
        std::uniform_int_distribution<int> jitter(0, static_cast<int>(l.backoff.count() / 2));
        l.next_attempt = Clock::now() + l.backoff + milliseconds(jitter(rng));
    };
    auto drop = [&](std::list<Conn>::iterator it) {
        if (it->link >= 0 && links[it->link].conn == &*it) {
            links[it->link].conn = nullptr;
            retry_later(links[it->link]);
        }
        if (it->handover) {
            mark_handed_over();
        }
        ::close(it->fd);
        return conns.erase(it);
    };
    auto flush = [](Conn& c) -> bool {
        std::string& out = c.session->out();
        while (!out.empty()) {
            ssize_t n = ::send(c.fd, out.data(), out.size(), MSG_NOSIGNAL);
            if (n < 0) {
                return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
            }
            out.erase(0, static_cast<size_t>(n));
            c.last_tx = Clock::now();
        }
        return true;
    };
    auto on_events = [&](Conn& c, std::vector<SessionEvent>& events) {
        for (SessionEvent& ev : events) {
            switch (ev.kind) {
                case SessionEvent::kEstablished: {
                    if (c.session->peer() == cfg_.local_name) {
                        // Our own name: the old process of a reload teaching us (learned
                        // entries only), or, on soft stop, us teaching the new process.
                        if (c.handover) {
                            push_all(c);
                            c.session->send_control(kResyncFinished);
                        }
                        break;
                    }
                    for (size_t i = 0; i < links.size(); ++i) {
                        if (links[i].name != c.session->peer()) {
                            continue;
                        }
                        // Both ends connected at once: the accepted one wins, as in HAProxy;
                        // the loser retries after a random delay.
                        if (links[i].conn != nullptr && links[i].conn != &c) {
                            Conn* old = links[i].conn;
                            old->session->out().clear();
                            ::shutdown(old->fd, SHUT_RDWR);
                            old->link = -1;
                        }
                        c.link = static_cast<int>(i);
                        links[i].conn = &c;
                        links[i].backoff = milliseconds(0);
                    }
                    if (!taught) {
                        c.session->send_control(kResyncRequest);
                    }
                    push_all(c);
                    break;
                }
                case SessionEvent::kLearned:
                    if (ev.table < cfg_.tables.size()) {
                        cfg_.tables[ev.table].learn(ev.entry);
                    }
                    break;
                case SessionEvent::kResyncRequested:
                    push_all(c);
                    c.session->send_control(kResyncFinished);
                    break;
                case SessionEvent::kResyncFinished:
                    taught = true;
                    break;
                case SessionEvent::kResyncConfirmed:
                    if (c.handover) {
                        mark_handed_over();
                    }
                    break;
                case SessionEvent::kClosed:
                    std::fprintf(stderr, "[WARNING] peers '%s': peer '%s': %s\n",
                                 cfg_.section.c_str(), c.session->peer().c_str(), ev.text.c_str());
                    break;
            }
        }
    };
    auto connect_to = [&](const Endpoint& ep, const std::string& name) -> Conn* {
        auto fd = connect_from(cfg_.local, ep);
        if (!fd) {
            return nullptr;
        }
        conns.push_back(Conn{});
        Conn& c = conns.back();
        c.fd = *fd;
        c.connecting = true;
        c.session = std::make_unique<Session>(Session::Side::kConnect, scfg, name);
        c.last_rx = c.last_tx = Clock::now();
        return &c;
    };

    std::vector<pollfd> pfds;
    std::vector<Conn*> polled;
    while (!quit_.load()) {
        auto now = Clock::now();
        if (soft_stop_.load() && !soft_stopping) {
            soft_stopping = true;
            // Our copy of the listener goes: the new process accepts on the shared queue.
            ::close(listen_fd_);
            listen_fd_ = -1;
            for (auto it = conns.begin(); it != conns.end();) {
                it = drop(it);
            }
            Conn* c = connect_to(cfg_.local, cfg_.local_name);
            if (c == nullptr) {
                mark_handed_over();
            } else {
                c->handover = true;
            }
            handover_deadline = now + kDeadAfter;
        }
        if (soft_stopping && now >= handover_deadline) {
            mark_handed_over();
        }
        // Entries stored by the workers since the last turn.
        std::vector<std::pair<size_t, Entry>> fresh;
        {
            std::lock_guard<std::mutex> lock(mu_);
            fresh.swap(queue_);
        }
        for (auto& [t, e] : fresh) {
            ++update_ids[t];
            for (Conn& c : conns) {
                if (c.session->established() && c.link >= 0) {
                    c.session->push(t, update_ids[t], e);
                }
            }
        }
        if (!soft_stopping) {
            for (auto& l : links) {
                if (l.conn == nullptr && now >= l.next_attempt) {
                    l.conn = connect_to(l.ep, l.name);
                    if (l.conn == nullptr) {
                        retry_later(l);
                    } else {
                        l.conn->link = static_cast<int>(&l - links.data());
                    }
                }
            }
        }
        // Timers: heartbeats, silent peers, handshakes that never end.
        for (auto it = conns.begin(); it != conns.end();) {
            if (now - it->last_rx >= kDeadAfter || it->session->closed()) {
                it = drop(it);
                continue;
            }
            if (it->session->established() && now - it->last_tx >= kHeartbeatAfter &&
                it->session->out().empty()) {
                it->session->send_control(kHeartbeat);
            }
            ++it;
        }

        pfds.clear();
        polled.clear();
        pfds.push_back(pollfd{wake_fd_, POLLIN, 0});
        pfds.push_back(pollfd{listen_fd_, static_cast<short>(listen_fd_ >= 0 ? POLLIN : 0), 0});
        for (Conn& c : conns) {
            short ev = POLLIN;
            if (c.connecting || !c.session->out().empty()) {
                ev |= POLLOUT;
            }
            pfds.push_back(pollfd{c.fd, ev, 0});
            polled.push_back(&c);
        }
        auto next = now + milliseconds(1000);
        for (const auto& l : links) {
            if (l.conn == nullptr && !soft_stopping) {
                next = std::min(next, l.next_attempt);
            }
        }
        int timeout = static_cast<int>(
            std::max<int64_t>(0, std::chrono::duration_cast<milliseconds>(next - now).count()));
        if (::poll(pfds.data(), pfds.size(), timeout) < 0 && errno != EINTR) {
            break;
        }
        if (pfds[0].revents & POLLIN) {
            uint64_t v = 0;
            ssize_t n = ::read(wake_fd_, &v, sizeof v);
            (void)n;
        }
        if (listen_fd_ >= 0 && (pfds[1].revents & POLLIN)) {
            for (int i = 0; i < 16; ++i) {
                int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
                if (fd < 0) {
                    break;
                }
                set_nodelay(fd);
                conns.push_back(Conn{});
                Conn& c = conns.back();
                c.fd = fd;
                c.session = std::make_unique<Session>(Session::Side::kAccept, scfg);
                c.last_rx = c.last_tx = Clock::now();
            }
        }
        for (size_t i = 0; i < polled.size(); ++i) {
            Conn& c = *polled[i];
            short re = pfds[i + 2].revents;
            if (c.connecting && (re & (POLLOUT | POLLERR | POLLHUP))) {
                if (socket_error(c.fd) != 0) {
                    c.session->out().clear();
                    ::shutdown(c.fd, SHUT_RDWR);
                    c.last_rx = Clock::time_point{};  // dropped on the next turn
                    continue;
                }
                c.connecting = false;
            }
            if (re & (POLLIN | POLLHUP | POLLERR)) {
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
                        c.last_rx = Clock::time_point{};
                    }
                    break;
                }
                on_events(c, events);
            }
            if (!c.connecting && (!flush(c) || c.session->out().size() > kMaxOutput)) {
                c.last_rx = Clock::time_point{};
            }
        }
    }
    for (auto it = conns.begin(); it != conns.end();) {
        it = drop(it);
    }
}

}  // namespace octane::proxy::peers
