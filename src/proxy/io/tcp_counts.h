#pragma once

// The few tcp_info figures the kernel fast path needs, in one getsockopt: the kernel forwards
// the bytes, so the kernel's own counts are the only record of them.

#include <cstdint>
#include <optional>

namespace octane::proxy {

struct TcpCounts {
    uint64_t received = 0;           // bytes received in total, a received FIN counted as one
    uint64_t written = 0;            // bytes the socket took for sending in total
    uint32_t last_data_recv_ms = 0;  // since the last data segment arrived
    bool fin_received = false;
};

std::optional<TcpCounts> tcp_counts(int fd);

}  // namespace octane::proxy
