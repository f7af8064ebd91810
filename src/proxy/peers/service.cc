#include "proxy/peers/service.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include "proxy/io/socket_ops.h"

namespace octane::proxy::peers {

Service::Service(ServiceConfig cfg) : cfg_(std::move(cfg)), rng_(static_cast<unsigned>(getpid())) {
    for (size_t i = 0; i < cfg_.tables.size(); ++i) {
        cfg_.tables[i].def.id = i + 1;
        defs_.push_back(cfg_.tables[i].def);
    }
    std::vector<std::string> known;
    for (const auto& [name, ep] : cfg_.remotes) {
        links_.push_back(Link{name, ep, nullptr, Clock::now(), std::chrono::milliseconds(0)});
        known.push_back(name);
    }
    known.push_back(cfg_.local_name);  // the other process of a reload
    session_cfg_ = Session::Config{cfg_.local_name, known, &defs_, static_cast<long>(getpid())};
    update_ids_.assign(defs_.size(), 0);
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
    stop(std::chrono::milliseconds(0));
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
    bool was_empty = false;
    {
        std::lock_guard<std::mutex> lock(mu_);
        was_empty = queue_.empty();
        queue_.emplace_back(table, std::move(e));
    }
    // Called under the backend's lock on a new client's pick: one write per batch, not per
    // entry. A non-empty queue already has a wake-up due, as the thread drains it whole after
    // every wake-up.
    if (was_empty) {
        wake();
    }
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

void Service::stop(std::chrono::milliseconds grace) {
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

}  // namespace octane::proxy::peers
