#pragma once

// Traffic counters shared by all worker threads (relaxed atomics: each is an independent tally
// read only by the stats socket). Names follow HAProxy's `show stat` columns.

#include <atomic>
#include <cstdint>

namespace octane::proxy {

struct Counters {
    std::atomic<int64_t> scur{0}, smax{0}, stot{0};
    std::atomic<int64_t> bin{0}, bout{0};
    std::atomic<int64_t> dreq{0}, dresp{0}, ereq{0}, econ{0}, eresp{0};
    std::atomic<int64_t> wretr{0}, wredis{0}, cli_abrt{0}, srv_abrt{0};
    std::atomic<int64_t> lbtot{0}, req_tot{0}, intercepted{0};
    std::atomic<int64_t> hrsp[6] = {};  // 1xx..5xx, other
    std::atomic<int64_t> last_sess{0};  // unix seconds of the last session

    void open_session() {
        int64_t cur = scur.fetch_add(1, std::memory_order_relaxed) + 1;
        stot.fetch_add(1, std::memory_order_relaxed);
        int64_t m = smax.load(std::memory_order_relaxed);
        while (cur > m && !smax.compare_exchange_weak(m, cur, std::memory_order_relaxed)) {
        }
    }
    void close_session() { scur.fetch_sub(1, std::memory_order_relaxed); }
    static void add(std::atomic<int64_t>& c, int64_t v) {
        c.fetch_add(v, std::memory_order_relaxed);
    }
    void count_status(int status) {
        int idx = status >= 100 && status < 600 ? status / 100 - 1 : 5;
        add(hrsp[idx], 1);
    }
};

}  // namespace octane::proxy
