#pragma once

// Per-worker free list of HTTP exchanges (parsers, header map, buffers). An idle keep-alive
// connection holds no exchange; the next request on any connection of the worker takes one
// back with its buffers' capacity intact, so releasing at idle costs no allocations per
// request. Buffers a large reply grew are trimmed on the way in: the list never pins more than
// kMaxFree small exchanges. Loop-thread only.

#include <memory>
#include <vector>

#include "proxy/l7/http_session.h"

namespace octane::proxy {

class ExchangePool {
  public:
    ExchangePool();
    ~ExchangePool();
    ExchangePool(const ExchangePool&) = delete;
    ExchangePool& operator=(const ExchangePool&) = delete;

    // An exchange in the state of a freshly constructed one.
    std::unique_ptr<HttpSession::Exchange> get();
    // Takes back an exchange whose buffers hold nothing still needed.
    void put(std::unique_ptr<HttpSession::Exchange> x);

  private:
    static constexpr size_t kMaxFree = 64;  // at most ~5 MiB of trimmed buffers per worker
    std::vector<std::unique_ptr<HttpSession::Exchange>> free_;
};

}  // namespace octane::proxy
