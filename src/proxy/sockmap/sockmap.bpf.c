// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
// The kernel half of the L4 fast path: every socket in `octane_src` hands each received skb to
// the socket that `octane_peer` holds under the receiver's own cookie, whose egress sends it.
// Two maps, not one, so that a socket can be a destination before its own input is redirected:
// the user-space engine joins the destinations first and the sources last, and no byte is ever
// left without somewhere to go. Only UAPI types are used: no vmlinux.h, no CO-RE relocation.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

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

SEC("sk_skb/stream_verdict")
int octane_verdict(struct __sk_buff *skb) {
    // A FIN that came in a segment of its own reaches the program as an empty skb. Sent to the
    // peer it would make the kernel's send of zero bytes fail and report EPIPE on the peer
    // socket; TCP recorded the FIN already, and user space forwards it with shutdown().
    if (skb->len == 0) {
        return SK_DROP;
    }
    __u64 cookie = bpf_get_socket_cookie(skb);
    // Flags 0: the peer's egress. A missing peer would drop, but a source is only ever added
    // after its destination and leaves the maps only when it closes.
    return bpf_sk_redirect_hash(skb, &octane_peer, &cookie, 0);
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
