#pragma once

// The check of one real server, run natively in the engine's loop instead of keepalived's
// checkers (docs/amphora.md §5):
//   UDP-CONNECT (Octavia's udp_check.sh, `nc -uz -w1`): one datagram to the member; an ICMP port
//     unreachable (ECONNREFUSED) within the wait is a failure, an answer or silence a success.
//     The wait is the monitor timeout capped at 1 s, as nc's -w1.
//   SCTP (`amphora-health-checker sctp`): a one-to-one SCTP association; established = success.
//   TCP_CHECK: a TCP connect within connect_timeout.
//   HTTP_GET: GET <url path> over TCP; the status must be one of the status_code lines.
// Keepalived's counting: `retry` consecutive failures take an up server down (1 when unset), one
// success brings it back; checks every delay_loop, and delay_before_retry after a failure while
// the server is still up.

#include <functional>
#include <string>

#include "proxy/io/address.h"
#include "proxy/loop/event_loop.h"
#include "proxy/udp/lvs_config.h"

namespace octane::proxy::udp {

struct ProbeSchedule {
    int64_t delay_ms = 5000;
    int64_t retry_delay_ms = 5000;
    int64_t timeout_ms = 5000;
    int retry = 1;
};

class HealthProbe final : public IoHandler, public TimerHandler {
  public:
    // `on_change(up, reason)` is called when the server's state flips.
    HealthProbe(EventLoop& loop, const RealServer& rs, Endpoint target, ProbeSchedule schedule,
                std::function<void(bool, const std::string&)> on_change);
    ~HealthProbe();
    HealthProbe(const HealthProbe&) = delete;
    HealthProbe& operator=(const HealthProbe&) = delete;

    void start();
    bool up() const { return up_; }
    const std::string& last_reason() const { return reason_; }
    int64_t failures_total() const { return failures_total_; }

    void on_io(uint32_t events, unsigned tag) override;
    void on_timer(Timer& timer) override;

  private:
    void begin();
    void finish(bool ok, const std::string& reason);
    void close_socket();
    void on_connected();
    void on_readable();

    EventLoop& loop_;
    RealServer rs_;
    Endpoint target_;
    ProbeSchedule schedule_;
    std::function<void(bool, const std::string&)> on_change_;
    Timer timer_{this};
    int fd_ = -1;
    bool running_ = false;  // a check is in flight (timer = its deadline)
    bool connected_ = false;
    std::string response_;
    bool up_ = true;  // keepalived starts real servers up
    int failures_ = 0;
    int64_t failures_total_ = 0;
    std::string reason_;
};

}  // namespace octane::proxy::udp
