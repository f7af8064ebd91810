#pragma once

// Listener hand-over for lossless reloads. Each process serves its listening sockets on the
// abstract UNIX socket "@octane-proxy-<pid>"; a new process started with `-sf <pid>` fetches
// them (SCM_RIGHTS) before binding anything, so both processes share the very same accept
// queues: nothing queued in the old listener is reset when the old process stops accepting.
// (SO_REUSEPORT alone would give each process its own queue, and closing the old one drops
// the connections waiting in it.) HAProxy's `-x` / `expose-fd listeners` does the same.
// Both ends check the peer's credentials (SO_PEERCRED): sockets go only to root or our own user,
// and are taken only from the very process named by `-sf`.

#include <map>
#include <string>
#include <vector>

#include "common/result.h"
#include "proxy/loop/event_loop.h"

namespace octane::proxy {

// address string ("127.0.0.1:80") -> fds received for it.
using InheritedListeners = std::map<std::string, std::vector<int>>;

// Fetches the listeners of process `pid`; an unreachable peer yields an empty map.
InheritedListeners fetch_listeners(int pid);

class HandoffServer final : public IoHandler {
  public:
    explicit HandoffServer(EventLoop& loop) : loop_(loop) {}
    ~HandoffServer();
    // Registers (key, fd) pairs to hand out; fds stay owned by their workers.
    void add(const std::string& key, int fd) { fds_.emplace_back(key, fd); }
    Result<void> listen();
    // Stops handing out: called as soon as a soft stop begins, before the workers release the
    // listeners, so a later `-sf` never receives a descriptor that was closed (or reused).
    void close();
    void on_io(uint32_t events, unsigned tag) override;

  private:
    EventLoop& loop_;
    int fd_ = -1;
    std::vector<std::pair<std::string, int>> fds_;
};

}  // namespace octane::proxy
