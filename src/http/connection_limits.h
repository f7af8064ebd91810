#pragma once

// Admission of new connections to a server: at most `max_total` open at once, and at most
// `max_per_client` from one client address, so a few hosts holding connections open (slowly sent
// request heads, idle keep-alives) cannot take every slot. Pure bookkeeping, thread-safe: a
// Ticket is held for the life of a connection and gives its slot back when destroyed.

#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace octane::http {

class ConnectionLimits {
  public:
    ConnectionLimits(size_t max_total, size_t max_per_client)
        : max_total_(max_total), max_per_client_(max_per_client) {}
    ConnectionLimits(const ConnectionLimits&) = delete;
    ConnectionLimits& operator=(const ConnectionLimits&) = delete;

    class Ticket {
      public:
        Ticket(Ticket&& other) noexcept;
        Ticket& operator=(Ticket&&) = delete;
        Ticket(const Ticket&) = delete;
        ~Ticket();

      private:
        friend class ConnectionLimits;
        Ticket(ConnectionLimits* limits, std::string client)
            : limits_(limits), client_(std::move(client)) {}
        ConnectionLimits* limits_;
        std::string client_;
    };

    // A slot for a connection from `client` (its address), or nothing when either limit is
    // reached. The limits must outlive every ticket.
    std::optional<Ticket> admit(const std::string& client);
    size_t open() const;
    size_t open_from(const std::string& client) const;

  private:
    void release(const std::string& client);

    const size_t max_total_;
    const size_t max_per_client_;
    mutable std::mutex mutex_;
    size_t total_ = 0;                                 // guarded by mutex_
    std::unordered_map<std::string, size_t> clients_;  // guarded by mutex_; no zero entries
};

}  // namespace octane::http
