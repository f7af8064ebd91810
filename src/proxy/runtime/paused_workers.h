#pragma once

// Workers whose listeners paused on a connection limit. The limits are process-wide (global
// maxconn) or frontend-wide, so the session that frees a slot often closes in another worker than
// the one that paused; with exclusive wakeups no new connection may come to wake the paused
// one, and what waits in the accept queue would wait for ever. The closing worker wakes them.

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

namespace octane::proxy {

class PausedWorkers {
  public:
    // Before the workers run: how to make worker `index` retry its paused listeners.
    void add(std::function<void()> resume) { resume_.push_back(std::move(resume)); }
    void mark(int index) { mask_.fetch_or(uint64_t{1} << index, std::memory_order_seq_cst); }
    // After a session closed; costs one load while nothing is paused.
    void wake() {
        // Pairs with the fence in Listener::accept_all(): either this sees the mark, or the
        // pausing worker sees the freed slot.
        std::atomic_thread_fence(std::memory_order_seq_cst);
        if (mask_.load(std::memory_order_relaxed) == 0) {
            return;
        }
        uint64_t paused = mask_.exchange(0, std::memory_order_acq_rel);
        for (size_t i = 0; i < resume_.size() && paused != 0; ++i) {
            if (paused & (uint64_t{1} << i)) {
                resume_[i]();
                paused &= ~(uint64_t{1} << i);
            }
        }
    }

  private:
    std::vector<std::function<void()>> resume_;
    std::atomic<uint64_t> mask_{0};
};

}  // namespace octane::proxy
