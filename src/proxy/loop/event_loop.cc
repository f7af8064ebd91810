#include "proxy/loop/event_loop.h"

#include <atomic>
#include <ctime>

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace octane::proxy {
namespace {

int64_t monotonic_ns() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int64_t monotonic_ms() {
    return monotonic_ns() / 1'000'000;
}

}  // namespace

EventLoop::EventLoop() {
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    wakefd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epfd_ >= 0 && wakefd_ >= 0) {
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = 0;  // the null handler means "wakeup"
        epoll_ctl(epfd_, EPOLL_CTL_ADD, wakefd_, &ev);
    }
    update_now();
}

EventLoop::~EventLoop() {
    for (Deferred* d : graveyard_) {
        delete d;
    }
    if (wakefd_ >= 0) {
        close(wakefd_);
    }
    if (epfd_ >= 0) {
        close(epfd_);
    }
}

void EventLoop::update_now() {
    now_ms_ = monotonic_ms();
}

bool EventLoop::add(int fd, uint32_t events, IoHandler* handler, unsigned tag) {
    epoll_event ev{};
    ev.events = events | EPOLLET;
    ev.data.u64 = reinterpret_cast<uintptr_t>(handler) | (tag & 1U);
    return epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool EventLoop::modify(int fd, uint32_t events, IoHandler* handler, unsigned tag) {
    epoll_event ev{};
    ev.events = events | EPOLLET;
    ev.data.u64 = reinterpret_cast<uintptr_t>(handler) | (tag & 1U);
    return epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void EventLoop::remove(int fd) {
    epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
}

void EventLoop::post(std::function<void()> fn) {
    {
        std::lock_guard<std::mutex> lock(posted_mu_);
        posted_.push_back(std::move(fn));
    }
    uint64_t one = 1;
    ssize_t n = write(wakefd_, &one, sizeof(one));
    (void)n;  // EAGAIN means a wakeup is already pending
}

void EventLoop::stop() {
    post([this] { stopping_ = true; });
}

void EventLoop::run_posted() {
    std::vector<std::function<void()>> batch;
    {
        std::lock_guard<std::mutex> lock(posted_mu_);
        batch.swap(posted_);
    }
    for (auto& fn : batch) {
        fn();
    }
}

void EventLoop::run_timers() {
    // Bound the work per iteration so a burst of expiries cannot starve I/O.
    for (int i = 0; i < 4096; ++i) {
        Timer* t = timers_.pop_due(now_ms_);
        if (t == nullptr) {
            return;
        }
        t->handler()->on_timer(*t);
    }
}

int EventLoop::wait_events(epoll_event* events, int max, int timeout) {
    // No poll when something is due now: the poll would only delay it.
    if (timeout == 0) {
        return epoll_wait(epfd_, events, max, 0);
    }
    int64_t start = monotonic_ns();
    if (spin_.window_ns() > 0 && gate_.allows_polling(now_ms_)) {
        int64_t end = start + spin_.window_ns();
        int64_t t = start;
        do {
            int n = epoll_wait(epfd_, events, max, 0);
            int64_t prev = t;
            t = monotonic_ns();
            gate_.on_poll_step(t - prev, t / 1'000'000);
            if (n != 0) {
                return n;
            }
        } while (t < end);
    }
    int n = epoll_wait(epfd_, events, max, timeout);
    if (n > 0) {
        spin_.on_wait(monotonic_ns() - start);
    }
    return n;
}

void EventLoop::run() {
    constexpr int kMaxEvents = 256;
    epoll_event events[kMaxEvents];
    while (!stopping_) {
        int timeout = -1;
        if (!timers_.empty()) {
            int64_t wait = timers_.next_deadline() - now_ms_;
            timeout = wait < 0 ? 0 : static_cast<int>(wait > 60'000 ? 60'000 : wait);
        }
        if (!graveyard_.empty()) {
            timeout = 0;
        }
        int n = wait_events(events, kMaxEvents, timeout);
        update_now();
        for (int i = 0; i < n; ++i) {
            uint64_t data = events[i].data.u64;
            if (data == 0) {
                uint64_t v = 0;
                ssize_t r = read(wakefd_, &v, sizeof(v));
                (void)r;
                run_posted();
                continue;
            }
            auto* h = reinterpret_cast<IoHandler*>(data & ~uint64_t{1});
            h->on_io(events[i].events, static_cast<unsigned>(data & 1U));
        }
        run_timers();
        if (idle_hook_) {
            idle_hook_();
        }
        for (size_t i = 0; i < graveyard_.size(); ++i) {
            delete graveyard_[i];
        }
        graveyard_.clear();
    }
}

}  // namespace octane::proxy

namespace octane::proxy {

void EventLoop::close_fd(int fd) {
    if (explicit_del_) {
        epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
    }
    close(fd);
}

}  // namespace octane::proxy
