#include "http/connection_limits.h"

namespace octane::http {

ConnectionLimits::Ticket::Ticket(Ticket&& other) noexcept
    : limits_(other.limits_), client_(std::move(other.client_)) {
    other.limits_ = nullptr;
}

ConnectionLimits::Ticket::~Ticket() {
    if (limits_ != nullptr) {
        limits_->release(client_);
    }
}

std::optional<ConnectionLimits::Ticket> ConnectionLimits::admit(const std::string& client) {
    std::lock_guard lock(mutex_);
    if (total_ >= max_total_) {
        return std::nullopt;
    }
    auto it = clients_.find(client);
    if (it != clients_.end() && it->second >= max_per_client_) {
        return std::nullopt;
    }
    if (max_per_client_ == 0) {
        return std::nullopt;
    }
    ++total_;
    ++clients_[client];
    return Ticket(this, client);
}

void ConnectionLimits::release(const std::string& client) {
    std::lock_guard lock(mutex_);
    --total_;
    auto it = clients_.find(client);
    if (it != clients_.end() && --it->second == 0) {
        clients_.erase(it);
    }
}

size_t ConnectionLimits::open() const {
    std::lock_guard lock(mutex_);
    return total_;
}

size_t ConnectionLimits::open_from(const std::string& client) const {
    std::lock_guard lock(mutex_);
    auto it = clients_.find(client);
    return it == clients_.end() ? 0 : it->second;
}

}  // namespace octane::http
