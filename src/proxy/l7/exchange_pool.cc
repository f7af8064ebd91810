#include "proxy/l7/exchange_pool.h"

#include <string>

#include "proxy/l7/http_session_exchange.h"

namespace octane::proxy {
namespace {

// Capacity a pooled buffer may keep: a typical head or small reply without reallocating.
constexpr size_t kKeepCapacity = 16 * 1024;

void clear_buffer(std::string& s) {
    if (s.capacity() > kKeepCapacity) {
        std::string().swap(s);
    } else {
        s.clear();
    }
}

}  // namespace

ExchangePool::ExchangePool() = default;
ExchangePool::~ExchangePool() = default;

std::unique_ptr<HttpSession::Exchange> ExchangePool::get() {
    if (free_.empty()) {
        return std::make_unique<HttpSession::Exchange>();
    }
    auto x = std::move(free_.back());
    free_.pop_back();
    return x;
}

void ExchangePool::put(std::unique_ptr<HttpSession::Exchange> x) {
    if (free_.size() >= kMaxFree) {
        return;  // freed here
    }
    // Fresh state for every field (new ones included), but the buffers keep their capacity.
    HttpSession::Exchange& e = *x;
    std::string bufs[] = {std::move(e.in), std::move(e.to_server), std::move(e.resp),
                          std::move(e.to_client), std::move(e.request_line)};
    http::HeaderMap headers = std::move(e.headers);
    e = HttpSession::Exchange();
    for (std::string& b : bufs) {
        clear_buffer(b);
    }
    e.in = std::move(bufs[0]);
    e.to_server = std::move(bufs[1]);
    e.resp = std::move(bufs[2]);
    e.to_client = std::move(bufs[3]);
    e.request_line = std::move(bufs[4]);
    e.headers = std::move(headers);
    free_.push_back(std::move(x));
}

}  // namespace octane::proxy
