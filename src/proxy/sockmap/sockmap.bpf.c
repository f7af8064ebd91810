// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// The kernel half of the L4 fast path: every socket in `octane_src` hands each received skb to
// the socket that `octane_peer` holds under the receiver's own cookie, whose egress sends it.
// Two maps, not one, so that a socket can be a destination before its own input is redirected:
// the user-space engine joins the destinations first and the sources last, and no byte is ever
// left without somewhere to go.
//
// Backpressure: the kernel queues redirected skbs towards a destination without limit (the
// source's receive window stays open), so the program measures the destination's backlog itself
// and, past the source's limit, stops redirecting that source for good: SK_PASS keeps the data in
// the source's own queue, charged to its receive buffer, and TCP flow control holds the sender.
// User space sees the `passed` flag, waits until the destination took every redirected byte and
// then reads the source as on the copy path (src/proxy/README.md).
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

// Only the fields read, relocated by libbpf against the running kernel's BTF (CO-RE).
struct tcp_sock {
    __u32 write_seq;   // next byte the socket will take for sending
    __u32 snd_una;     // first byte not yet acknowledged
    __u32 copied_seq;  // next byte the socket's reader takes
} __attribute__((preserve_access_index));

// The kernel's skb behind the program's context: its control block holds TCP's `tcp_skb_cb`,
// whose first field is the sequence number of the skb's first byte.
struct sk_buff {
    char cb[48];
} __attribute__((preserve_access_index));

extern void *bpf_cast_to_kern_ctx(void *obj) __ksym;

// Destinations, keyed by the cookie of the socket whose input goes there. No program attached.
struct {
    __uint(type, BPF_MAP_TYPE_SOCKHASH);
    __uint(max_entries, 4096);  // resized by the loader from the process's descriptor limit
    __type(key, __u64);
    __type(value, __u64);
} octane_peer SEC(".maps");

// Sources: the sockets whose input the verdict program below forwards, keyed by own cookie.
struct {
    __uint(type, BPF_MAP_TYPE_SOCKHASH);
    __uint(max_entries, 4096);
    __type(key, __u64);
    __type(value, __u64);
} octane_src SEC(".maps");

// One per source, written by user space before the source joins (layout: sockmap.cc).
struct octane_flow {
    __u64 redirected;  // bytes redirected to the destination so far
    __u32 limit;       // backlog (bytes) past which the source passes; 0: never
    __u32 base;        // the destination's write_seq when the first skb came
    __u32 started;     // base is set
    __u32 passed;      // sticky: from then on every skb stays with the source
    __u32 next;        // sequence number of the first byte not yet handed on
    __u32 next_set;    // next is set
    // `redirected` may grow up to this before the backlog has to be measured again: it can
    // grow by no more than was redirected since (snd_una only moves forward), so a destination
    // that keeps up costs one peer lookup per `limit` bytes, not one per skb.
    __u64 unchecked_until;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4096);
    __type(key, __u64);
    __type(value, struct octane_flow);
} octane_flow SEC(".maps");

// True when the destination holds more than the limit: bytes redirected to it (queued in its
// psock or taken into its send queue) plus what user space wrote before, minus what was acked.
// Measured only when the bound could have been crossed since the last measure.
static int over_limit(struct octane_flow *f, __u64 *cookie) {
    if (f->started && f->redirected <= f->unchecked_until) {
        return 0;
    }
    struct bpf_sock *dst = bpf_map_lookup_elem(&octane_peer, cookie);
    if (!dst) {
        return 0;
    }
    int over = 0;
    struct tcp_sock *tp = bpf_skc_to_tcp_sock(dst);
    if (tp) {
        __u32 write_seq = tp->write_seq;
        __u32 snd_una = tp->snd_una;
        // The first skb: nothing redirected yet, so write_seq is all that user space wrote.
        // Sequence numbers wrap: the differences below are taken modulo 2^32.
        if (!f->started) {
            f->base = write_seq;
            f->started = 1;
        }
        __u32 backlog = f->base + (__u32)f->redirected - snd_una;
        over = backlog > f->limit;
        if (!over) {
            f->unchecked_until = f->redirected + (f->limit - backlog);
        }
    }
    bpf_sk_release(dst);
    return over;
}

// TCP queues a retransmitted segment that overlaps bytes it already received as it came (its
// readers skip the overlap by sequence number), but the kernel hands the program whole skbs
// (tcp_read_skb), so the overlap would be forwarded twice. Under load, a passed source's full
// receive buffer makes the sender retransmit often, and such overlaps duplicated up to 256 KiB of
// a 1 GiB transfer. The program cuts them off: it keeps the sequence number of the next byte
// owed, first taken from what the source's reader had consumed when the first skb came.
#define TRIM_STEP 4095  // the most bpf_skb_adjust_room removes at once
#define TRIM_STEPS 64   // 256 KiB: more than one skb holds (64 KiB on loopback)
static void skip_delivered(struct __sk_buff *skb, struct octane_flow *f, __u64 *cookie) {
    struct sk_buff *k = bpf_cast_to_kern_ctx(skb);
    __u32 seq = 0;
    bpf_probe_read_kernel(&seq, sizeof(seq), &k->cb[0]);
    __u32 len = skb->len;
    if (!f->next_set) {
        f->next = seq;
        struct bpf_sock *src = bpf_map_lookup_elem(&octane_src, cookie);
        if (src) {
            struct tcp_sock *tp = bpf_skc_to_tcp_sock(src);
            if (tp) {
                f->next = tp->copied_seq;
            }
            bpf_sk_release(src);
        }
        f->next_set = 1;
    }
    __s32 over = (__s32)(f->next - seq);
    if (over > 0 && (__u32)over < len) {
        for (int i = 0; i < TRIM_STEPS && over > 0; i++) {
            int step = over > TRIM_STEP ? TRIM_STEP : over;
            if (bpf_skb_adjust_room(skb, -step, 0, 0) != 0) {
                break;
            }
            over -= step;
        }
    }
    if ((__s32)(seq + len - f->next) > 0) {
        f->next = seq + len;
    }
}

SEC("sk_skb/stream_verdict")
int octane_verdict(struct __sk_buff *skb) {
    // A FIN that came in a segment of its own reaches the program as an empty skb. Sent to the
    // peer it would make the kernel's send of zero bytes fail and report EPIPE on the peer
    // socket; TCP recorded the FIN already, and user space forwards it with shutdown().
    if (skb->len == 0) {
        return SK_DROP;
    }
    __u64 cookie = bpf_get_socket_cookie(skb);
    struct octane_flow *f = bpf_map_lookup_elem(&octane_flow, &cookie);
    if (f) {
        skip_delivered(skb, f, &cookie);
        if (f->passed) {
            return SK_PASS;
        }
        if (f->limit != 0 && over_limit(f, &cookie)) {
            f->passed = 1;
            return SK_PASS;
        }
    }
    // Flags 0: the peer's egress. A missing peer would drop, but a source is only ever added
    // after its destination and leaves the maps only when it closes.
    int verdict = bpf_sk_redirect_hash(skb, &octane_peer, &cookie, 0);
    if (verdict == SK_PASS && f) {
        // One program run at a time per source socket (its receive path is serialised).
        f->redirected += skb->len;
    }
    return verdict;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
