#pragma once

// The kernel fast path of L4 sessions: once a session's two sockets are joined here, each one's
// received bytes leave through the other without reaching user space (BPF sockmap with an
// sk_skb stream verdict program, sockmap.bpf.c). One per process: a reload's new process loads
// its own, and the sessions joined in the old one finish there. Thread-safe.

#include <cstdint>
#include <memory>
#include <string>

#include "proxy/sockmap/fast_path.h"

namespace octane::proxy {

class Sockmap {
  public:
    // Loads the program and its maps, sized for `max_sockets` sockets. nullptr when the kernel,
    // our rights or the build do not allow it; `why` then says so in one line.
    // Each source stops being redirected once its destination holds more than `max_queue`
    // bytes (the backpressure bound, sockmap.bpf.c).
    static std::unique_ptr<Sockmap> load(uint32_t max_sockets, uint32_t max_queue,
                                         std::string* why);
    virtual ~Sockmap() = default;

    // Makes `a` and `b` each other's destination (no input is redirected yet) and gives their
    // cookies, which name them in the calls below.
    virtual bool link(int a, int b, uint64_t cookies[2]) = 0;
    // From now on the kernel forwards `fd`'s input to its destination, starting with what is
    // queued already (in order). Never undone while the socket is open: taking a source out of
    // the map under traffic lost data (src/proxy/README.md, backpressure).
    virtual bool start_source(int fd, uint64_t cookie) = 0;
    // What the kernel did with a source's input since start_source(). False when unknown.
    virtual bool source_state(uint64_t cookie, SourceState* out) const = 0;
    // Drops the per-source record of a source (the socket is closing).
    virtual void forget_source(uint64_t cookie) = 0;
    // Sockets whose input the kernel forwards now (the source map's occupancy, counted in
    // the kernel: a socket leaves it when it is closed).
    virtual int64_t sources() const = 0;

    FastPathCounters& counters() const { return counters_; }

  private:
    mutable FastPathCounters counters_;  // atomics, updated by every worker
};

}  // namespace octane::proxy
