#include "proxy/io/tcp_counts.h"

#include <cstddef>

#include <linux/tcp.h>
#include <netinet/in.h>
#include <sys/socket.h>

namespace octane::proxy {
namespace {

// Kernel TCP states (include/net/tcp_states.h) reached once the peer's FIN arrived: TIME_WAIT
// (6), CLOSE_WAIT (8), LAST_ACK (9), CLOSING (11).
constexpr uint32_t kFinReceivedStates = 1U << 6 | 1U << 8 | 1U << 9 | 1U << 11;

}  // namespace

std::optional<TcpCounts> tcp_counts(int fd) {
    tcp_info ti{};
    socklen_t len = sizeof(ti);
    if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) != 0 ||
        len < offsetof(tcp_info, tcpi_bytes_retrans) + sizeof(ti.tcpi_bytes_retrans)) {
        return std::nullopt;
    }
    TcpCounts c;
    c.received = ti.tcpi_bytes_received;
    // Sent once each (retransmissions taken out) plus still queued: everything written so far.
    c.written = ti.tcpi_bytes_sent - ti.tcpi_bytes_retrans + ti.tcpi_notsent_bytes;
    c.last_data_recv_ms = ti.tcpi_last_data_recv;
    c.fin_received = ti.tcpi_state < 32 && (kFinReceivedStates >> ti.tcpi_state & 1U) != 0;
    return c;
}

}  // namespace octane::proxy
