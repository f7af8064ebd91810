#include "net/counters.h"

#include <atomic>

namespace octane::net {
namespace {

std::atomic<uint64_t> netlink_requests{0};
std::atomic<uint64_t> nft_transactions{0};

}  // namespace

NetCounters counters() {
    return NetCounters{netlink_requests.load(std::memory_order_relaxed),
                       nft_transactions.load(std::memory_order_relaxed)};
}

void count_netlink_requests(uint64_t count) {
    netlink_requests.fetch_add(count, std::memory_order_relaxed);
}

void count_nft_transaction() {
    nft_transactions.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace octane::net
