#include "proxy/sockmap/sockmap.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <mutex>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <sys/socket.h>

#include "proxy/sockmap/sockmap.skel.h"

namespace octane::proxy {
namespace {

// libbpf reports through a process-wide callback: keep its last warning for the one-line reason.
std::mutex g_print_mu;
std::string g_last_libbpf_message;

int keep_libbpf_message(enum libbpf_print_level level, const char* fmt, va_list args) {
    if (level == LIBBPF_DEBUG) {
        return 0;
    }
    char line[512];
    std::vsnprintf(line, sizeof(line), fmt, args);
    std::lock_guard<std::mutex> lock(g_print_mu);
    g_last_libbpf_message = line;
    while (!g_last_libbpf_message.empty() && g_last_libbpf_message.back() == '\n') {
        g_last_libbpf_message.pop_back();
    }
    return 0;
}

bool cookie_of(int fd, uint64_t* out) {
    socklen_t len = sizeof(*out);
    return getsockopt(fd, SOL_SOCKET, SO_COOKIE, out, &len) == 0;
}

// Bytes that reached the socket before it became a source sit in its receive queue, and the
// verdict program only runs when the next segment arrives, which, for a request waiting for its
// answer, may be never. Setting SO_RCVLOWAT makes TCP call its data-ready hook at once, now the
// psock's, which runs the queued bytes through the program in order.
void run_queued_input(int fd) {
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_RCVLOWAT, &one, sizeof(one));
}

// sockmap.bpf.c's `struct octane_flow`, field for field.
struct FlowRecord {
    uint64_t redirected = 0;
    uint32_t limit = 0;
    uint32_t base = 0;
    uint32_t started = 0;
    uint32_t passed = 0;
    uint32_t next = 0;
    uint32_t next_set = 0;
    uint64_t unchecked_until = 0;
};
static_assert(sizeof(FlowRecord) == 40);

class BpfSockmap final : public Sockmap {
  public:
    BpfSockmap(octane_sockmap* skel, uint32_t max_queue) : skel_(skel), max_queue_(max_queue) {
        peer_fd_ = bpf_map__fd(skel_->maps.octane_peer);
        src_fd_ = bpf_map__fd(skel_->maps.octane_src);
        flow_fd_ = bpf_map__fd(skel_->maps.octane_flow);
    }
    ~BpfSockmap() override { octane_sockmap__destroy(skel_); }

    bool link(int a, int b, uint64_t cookies[2]) override {
        if (!cookie_of(a, &cookies[0]) || !cookie_of(b, &cookies[1])) {
            return false;
        }
        uint64_t fa = static_cast<uint64_t>(a);
        uint64_t fb = static_cast<uint64_t>(b);
        // Only ESTABLISHED sockets are taken: one whose FIN came meanwhile is refused.
        if (bpf_map_update_elem(peer_fd_, &cookies[0], &fb, BPF_ANY) != 0) {
            return false;
        }
        if (bpf_map_update_elem(peer_fd_, &cookies[1], &fa, BPF_ANY) != 0) {
            bpf_map_delete_elem(peer_fd_, &cookies[0]);
            return false;
        }
        return true;
    }

    bool start_source(int fd, uint64_t cookie) override {
        FlowRecord record;
        record.limit = max_queue_;
        if (bpf_map_update_elem(flow_fd_, &cookie, &record, BPF_ANY) != 0) {
            return false;
        }
        uint64_t value = static_cast<uint64_t>(fd);
        if (bpf_map_update_elem(src_fd_, &cookie, &value, BPF_ANY) != 0) {
            bpf_map_delete_elem(flow_fd_, &cookie);
            return false;
        }
        run_queued_input(fd);
        return true;
    }

    bool source_state(uint64_t cookie, SourceState* out) const override {
        FlowRecord record;
        if (bpf_map_lookup_elem(flow_fd_, &cookie, &record) != 0) {
            return false;
        }
        out->redirected = record.redirected;
        out->passed = record.passed != 0;
        return true;
    }

    void forget_source(uint64_t cookie) override { bpf_map_delete_elem(flow_fd_, &cookie); }

    int64_t sources() const override {
        int64_t n = 0;
        uint64_t key = 0;
        uint64_t next = 0;
        const void* prev = nullptr;
        uint32_t cap = bpf_map__max_entries(skel_->maps.octane_src);
        while (n <= static_cast<int64_t>(cap) && bpf_map_get_next_key(src_fd_, prev, &next) == 0) {
            ++n;
            key = next;
            prev = &key;
        }
        return n;
    }

  private:
    octane_sockmap* skel_;
    uint32_t max_queue_;
    int peer_fd_ = -1;
    int src_fd_ = -1;
    int flow_fd_ = -1;
};

}  // namespace

std::unique_ptr<Sockmap> Sockmap::load(uint32_t max_sockets, uint32_t max_queue, std::string* why) {
    libbpf_set_print(keep_libbpf_message);
    auto fail = [why](const char* step, int err) -> std::unique_ptr<Sockmap> {
        std::lock_guard<std::mutex> lock(g_print_mu);
        *why = std::string(step) + ": " + std::strerror(err < 0 ? -err : err);
        if (!g_last_libbpf_message.empty()) {
            *why += " (libbpf: " + g_last_libbpf_message + ")";
        }
        return nullptr;
    };
    octane_sockmap* skel = octane_sockmap__open();
    if (skel == nullptr) {
        return fail("opening the BPF object", errno);
    }
    uint32_t entries = max_sockets < 64 ? 64 : max_sockets;
    bpf_map__set_max_entries(skel->maps.octane_peer, entries);
    bpf_map__set_max_entries(skel->maps.octane_src, entries);
    bpf_map__set_max_entries(skel->maps.octane_flow, entries);
    if (int err = octane_sockmap__load(skel); err != 0) {
        octane_sockmap__destroy(skel);
        return fail("loading the BPF program", err);
    }
    int prog = bpf_program__fd(skel->progs.octane_verdict);
    int src = bpf_map__fd(skel->maps.octane_src);
    if (bpf_prog_attach(prog, src, BPF_SK_SKB_STREAM_VERDICT, 0) != 0) {
        int err = errno;
        octane_sockmap__destroy(skel);
        return fail("attaching the stream verdict program", err);
    }
    return std::make_unique<BpfSockmap>(skel, max_queue);
}

}  // namespace octane::proxy
