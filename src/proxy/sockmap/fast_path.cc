#include "proxy/sockmap/fast_path.h"

namespace octane::proxy {

JoinDecision decide_join(const JoinInputs& in) {
    if (!in.available || in.encrypted) {
        return JoinDecision::kNever;
    }
    // After a FIN the kernel would refuse the socket (only ESTABLISHED ones join) and the rest
    // of the direction is short: user space finishes it.
    if (in.fin_seen || in.shut) {
        return JoinDecision::kNever;
    }
    // Parked bytes must reach their destination before the kernel writes there, or they
    // would be overtaken. The other direction does not wait for them.
    if (!in.established || in.parked) {
        return JoinDecision::kNotYet;
    }
    if (in.turns < kJoinAfterTurns) {
        return JoinDecision::kNotYet;
    }
    return JoinDecision::kJoin;
}

uint64_t kernel_flow_bytes(uint64_t received, bool fin_received) {
    return fin_received && received > 0 ? received - 1 : received;
}

bool psock_input_drained(uint64_t read, uint64_t received, bool fin_received) {
    return read >= kernel_flow_bytes(received, fin_received);
}

bool kernel_flow_drained(const KernelFlow& f, uint64_t received, bool fin_received,
                         uint64_t written_now) {
    uint64_t in = kernel_flow_bytes(received, fin_received);
    return redirected_drained(f, in > f.user_in ? in - f.user_in : 0, written_now);
}

int64_t next_pass_check_ms(int64_t previous_ms, bool moved) {
    if (moved || previous_ms <= 0) {
        return kPassCheckFirstMs;
    }
    return previous_ms * 2 > kPassCheckLastMs ? kPassCheckLastMs : previous_ms * 2;
}

bool redirected_drained(const KernelFlow& f, uint64_t redirected, uint64_t written_now) {
    uint64_t written = written_now > f.written_at_join ? written_now - f.written_at_join : 0;
    return written >= redirected;
}

}  // namespace octane::proxy
