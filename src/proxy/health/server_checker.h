#pragma once

// The I/O half of one server's health check (Envoy's checker/session split): a timer launches a
// probe (TCP connect, or HTTP request/response), the verdict feeds the pure RiseFall machine,
// and the owner is told about every result through CheckReporter. Loop-thread only.

#include <string>

#include "proxy/health/check_spec.h"
#include "proxy/health/rise_fall.h"
#include "proxy/io/transport.h"
#include "proxy/loop/event_loop.h"

namespace octane::proxy::health {

struct CheckOutcome {
    bool passed = false;
    const char* status = "";  // HAProxy's check_status codes: L4OK, L4CON, L4TOUT, L7OK, ...
    int code = 0;             // HTTP status, 0 for L4
    int64_t duration_ms = 0;
};

class CheckReporter {
  public:
    // `changed` is true when the up/down state flipped; `machine` carries the new state.
    virtual void on_check(const CheckOutcome& outcome, const RiseFall& machine, bool changed) = 0;

  protected:
    ~CheckReporter() = default;
};

class ServerChecker final : public IoHandler, public TimerHandler {
  public:
    ServerChecker(EventLoop& loop, CheckSpec spec, RiseFall machine, CheckReporter& reporter);
    ~ServerChecker();
    ServerChecker(const ServerChecker&) = delete;
    ServerChecker& operator=(const ServerChecker&) = delete;

    // First probe after `delay_ms` (callers spread servers over the interval).
    void start(int64_t delay_ms);
    const RiseFall& machine() const { return machine_; }

    void on_io(uint32_t events, unsigned tag) override;
    void on_timer(Timer& timer) override;

  private:
    enum class Phase { kIdle, kConnecting, kHandshake, kSending, kReading };
    void launch();
    void launch_external();
    void on_external_exit();
    void finish(bool passed, const char* status, int code);
    void on_readable();
    bool send_request();
    void handshake();

    EventLoop& loop_;
    CheckSpec spec_;
    RiseFall machine_;
    CheckReporter& reporter_;
    Timer timer_;
    Phase phase_ = Phase::kIdle;
    int fd_ = -1;
    Transport io_;  // the probe's stream (io_.fd = fd_ while connected)
    int pid_ = -1;  // external check child
    int64_t started_ms_ = 0;
    size_t sent_ = 0;
    std::string response_;
};

}  // namespace octane::proxy::health
