#pragma once

// One SCTP association through the engine (docs/amphora.md §5): the client's one-to-one
// association accepted on the VIP and one to the real server the scheduler chose, each message
// copied as it arrives. A recv on a one-to-one SCTP socket returns at most one message, so a
// message up to the 64 KiB buffer keeps its boundary. SCTP has no half-close: the end of either
// association ends both. Back-pressure: while a message waits for its side to become writable,
// the other side is not read (the kernel's window holds the rest).

#include <cstdint>
#include <string>

#include "proxy/loop/event_loop.h"

namespace octane::proxy::udp {

class SctpRelay;

// What the engine learns from a relay.
class SctpRelayOwner {
  public:
    virtual void on_relay_bytes(SctpRelay& relay, bool to_server, size_t bytes) = 0;
    virtual void on_relay_closed(SctpRelay& relay) = 0;

  protected:
    ~SctpRelayOwner() = default;
};

class SctpRelay final : public IoHandler, public Deferred {
  public:
    SctpRelay(EventLoop& loop, SctpRelayOwner& owner, size_t service, int server, int client_fd,
              int server_fd);
    ~SctpRelay() override;
    // Registers both sockets; the server side is still connecting.
    void start();
    // Closes both associations without telling the owner (it is ending the relay itself).
    void close_quietly();

    size_t service() const { return service_; }
    int server() const { return server_; }
    void on_io(uint32_t events, unsigned tag) override;

  private:
    struct Side {
        int fd = -1;
        std::string pending;  // a message read from the other side, not yet written to this one
    };
    // Copies messages from `from` to `to` until `from` is drained or `to` is full.
    bool pump(Side& from, Side& to, bool to_server);
    bool flush(Side& to);
    void end();

    EventLoop& loop_;
    SctpRelayOwner& owner_;
    size_t service_;
    int server_;
    Side client_;
    Side server_side_;
    bool connected_ = false;
    bool closed_ = false;
};

}  // namespace octane::proxy::udp
