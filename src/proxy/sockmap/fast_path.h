#pragma once

// The pure half of the L4 kernel fast path (sockmap.h): when a session may be joined, when the
// kernel finished forwarding what came before a FIN, and the process-wide counters.

#include <atomic>
#include <cstdint>

namespace octane::proxy {

// What the session knows when it considers handing one direction to the kernel.
struct JoinInputs {
    bool available = false;    // fast path loaded and `tune.sockmap` not off
    bool encrypted = false;    // TLS on a side (`server ... ssl`): bytes change in user space
    bool established = false;  // member connection up
    bool parked = false;       // bytes of this direction held in user space (incl. a PROXY header)
    bool fin_seen = false;     // the source's FIN was read or announced
    bool shut = false;         // we already forwarded a FIN to the destination
    // What the session carried in user space so far: the number of times the data changed
    // direction.
    uint32_t turns = 0;
};

// Joining costs about 20 system calls and two psock set-ups, which a connection that carries one
// request and its answer does not earn back (+20 us per connection measured): a session is
// joined once it is a conversation (the data changed direction twice: a second request).
// A one-way bulk transfer is not joined: it stays on the copy path, which splices it. Joined, the
// kernel forwards it skb by skb from a work queue on the sender's CPU and a fast sender outruns
// it, so the direction passes at `tune.sockmap.max-queue` and ends on recv()/send() (splice
// cannot read a psock's queue): iperf3 through the proxy cost 0.53-0.60 CPU-s per GiB that way
// against 0.25 spliced, at 8.2-9.4 against 9.7-10.0 Gbit/s; the system's total CPU per GiB was
// the same on both paths (bench/README-proxy.md), so the kernel path saves nothing there.
constexpr uint32_t kJoinAfterTurns = 2;

enum class JoinDecision : uint8_t { kJoin, kNotYet, kNever };

JoinDecision decide_join(const JoinInputs& in);

// One direction handed to the kernel. All in bytes; `written_*` are what the destination socket
// took in total (tcp_info: bytes_sent - bytes_retrans + notsent_bytes), `received` what the
// source socket received in total (tcp_info bytes_received, which counts a FIN as one).
struct KernelFlow {
    uint64_t user_in = 0;          // read from the source in user space before the join
    uint64_t written_at_join = 0;  // destination's total when joined (all from user space)
};

// How often a joined session asks the kernel whether a direction passed (one map lookup per
// direction): from the first to the last figure, doubling while the kernel redirected nothing
// new (an idle session costs little), back to the first when it did. A passed source waits at
// most this long, held by TCP flow control, before user space takes it over; only a destination
// already `max-queue` behind its source passes, so the wait costs little more than it lost.
constexpr int64_t kPassCheckFirstMs = 100;
constexpr int64_t kPassCheckLastMs = 1600;
int64_t next_pass_check_ms(int64_t previous_ms, bool moved);

// A source as the verdict program left it (sockmap.bpf.c): once `passed`, its input stays in its
// own queue, and `redirected` is final.
struct SourceState {
    uint64_t redirected = 0;
    bool passed = false;
};

// A passed direction goes back to user space once the destination took every byte the kernel
// redirected to it: what user space then reads from the source comes after all of them.
bool redirected_drained(const KernelFlow& f, uint64_t redirected, uint64_t written_now);

// True when every byte the source received (FIN excluded) was written into the destination,
// so its FIN may be forwarded without overtaking data still queued in the kernel.
bool kernel_flow_drained(const KernelFlow& f, uint64_t received, bool fin_received,
                         uint64_t written_now);

// A passed source's recv() returns 0 once TCP saw the FIN and the psock's message queue is
// empty, even while the psock still holds received skbs on its backlog (the kernel moves them
// from a work queue when it could not queue them at once, e.g. under memory pressure). Its end
// is real only once user space read every byte the socket received: `read` counts the bytes of
// the direction so far (before the join, redirected, and read back after passing).
bool psock_input_drained(uint64_t read, uint64_t received, bool fin_received);

// The bytes that crossed a direction, for `show stat` and the log.
uint64_t kernel_flow_bytes(uint64_t received, bool fin_received);

// Process-wide, read by `show info`.
struct FastPathCounters {
    std::atomic<int64_t> active{0};  // sessions with at least one direction in the kernel
    std::atomic<int64_t> total{0};
    std::atomic<int64_t> refused{0};  // joins the kernel refused (sessions stayed in user space)
    std::atomic<int64_t> passed{0};   // directions the backlog bound took back to user space

    void joined() {
        active.fetch_add(1, std::memory_order_relaxed);
        total.fetch_add(1, std::memory_order_relaxed);
    }
    void left() { active.fetch_sub(1, std::memory_order_relaxed); }
};

}  // namespace octane::proxy
