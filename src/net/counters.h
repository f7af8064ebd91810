#pragma once

// Process-wide tallies of kernel round trips, for the benchmark that reports how many netlink
// requests and nftables transactions one load balancer costs.

#include <cstdint>

namespace octane::net {

struct NetCounters {
    uint64_t netlink_requests = 0;
    uint64_t nft_transactions = 0;
};

NetCounters counters();

// Bumped by this library at each request it sends; not meant for callers.
void count_netlink_requests(uint64_t count = 1);
void count_nft_transaction();

}  // namespace octane::net
