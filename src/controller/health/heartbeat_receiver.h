#pragma once

// The health manager's UDP socket and the thread that reads it. Datagrams are read with
// MSG_TRUNC, so the handler learns the real size of one larger than the buffer and can drop it as
// oversized instead of parsing a silently cut copy. stop() wakes the thread through an eventfd
// (no polling interval, no socket shutdown tricks). Rejected: Asio, for one socket and one thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "common/result.h"

namespace octane::controller::health {

class HeartbeatReceiver {
  public:
    // datagram: the bytes read (at most the buffer size); full_size: the datagram's real size;
    // peer: "ip:port" of the sender. Called on the receiver thread only.
    using Handler =
        std::function<void(std::string_view datagram, size_t full_size, const std::string& peer)>;

    // Binds bind_ip:port (IPv4 or IPv6 literal; port 0 = any free port). buffer_size: the largest
    // datagram read whole.
    static Result<std::unique_ptr<HeartbeatReceiver>> open(const std::string& bind_ip,
                                                           uint16_t port, size_t buffer_size);
    ~HeartbeatReceiver();
    HeartbeatReceiver(const HeartbeatReceiver&) = delete;
    HeartbeatReceiver& operator=(const HeartbeatReceiver&) = delete;

    // Runs `drain` (which calls the handler for each queued datagram) inside whatever the caller
    // wraps around a batch: one database transaction for many heartbeats.
    using Batch = std::function<void(const std::function<void()>& drain)>;

    // The bound port (useful after binding port 0).
    uint16_t port() const { return port_; }
    // With a window, the first datagram of a batch waits that long for others to queue behind it,
    // so a steady stream of heartbeats costs a wake-up and a batch per window, not per datagram.
    void start(Handler handler, Batch batch = {},
               std::chrono::milliseconds window = std::chrono::milliseconds(0));
    // Wakes and joins the thread; idempotent.
    void stop();

  private:
    HeartbeatReceiver(int socket_fd, int wake_fd, uint16_t port, size_t buffer_size);
    void run();
    void drain();

    int socket_fd_;
    int wake_fd_;
    uint16_t port_;
    std::vector<char> buffer_;  // receiver thread only
    Handler handler_;
    Batch batch_;
    std::chrono::milliseconds window_{0};
    std::thread thread_;
};

}  // namespace octane::controller::health
