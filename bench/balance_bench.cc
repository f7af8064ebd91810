// Cost of one balancing decision (src/proxy/balance/): pick + take of a new connection and the
// release of one picked earlier, per algorithm, for 2, 100 and 10,000 servers of mixed weights
// (1 to 4). 64 connections stay in flight, so least-connections sees changing loads. The
// `*Scan` rows are the previous O(n) round robin and least-connections, for comparison.
//   cmake --build build --target balance_bench && build/balance_bench

#include <array>
#include <optional>
#include <vector>

#include <benchmark/benchmark.h>

#include "proxy/balance/balancer.h"

namespace balance = octane::proxy::balance;

namespace {

constexpr size_t kInFlight = 64;

std::vector<balance::ServerSpec> servers(int n) {
    std::vector<balance::ServerSpec> specs;
    for (int i = 0; i < n; ++i) {
        specs.push_back({.weight = 1 + i % 4, .backup = false, .maxconn = 0});
    }
    return specs;
}

void run(benchmark::State& state, balance::Algorithm algo, balance::HashType type) {
    int n = static_cast<int>(state.range(0));
    // Only the hash algorithms pay for a key hash (one per client connection in the engine).
    bool hashed = algo == balance::Algorithm::kSource;
    auto b = balance::make_balancer(algo, type, servers(n), false);
    for (int i = 0; i < n; ++i) {
        b->set_up(i, true);
    }
    std::array<int, kInFlight> held{};
    held.fill(-1);
    uint64_t key = 0;
    size_t slot = 0;
    for (auto _ : state) {
        balance::PickContext ctx;
        if (hashed) {
            ctx.hash = balance::hash_source(reinterpret_cast<const uint8_t*>(&key), sizeof key);
            ++key;
        }
        std::optional<int> id = b->pick(ctx);
        b->take(*id);
        if (held[slot] >= 0) {
            b->release(held[slot]);
        }
        held[slot] = *id;
        slot = (slot + 1) % kInFlight;
        benchmark::DoNotOptimize(id);
    }
}

void BM_RoundRobin(benchmark::State& s) {
    run(s, balance::Algorithm::kRoundRobin, balance::HashType::kMapBased);
}
void BM_LeastConn(benchmark::State& s) {
    run(s, balance::Algorithm::kLeastConn, balance::HashType::kMapBased);
}
void BM_HashMapBased(benchmark::State& s) {
    run(s, balance::Algorithm::kSource, balance::HashType::kMapBased);
}
void BM_HashConsistent(benchmark::State& s) {
    run(s, balance::Algorithm::kSource, balance::HashType::kConsistent);
}
void BM_First(benchmark::State& s) {
    run(s, balance::Algorithm::kFirst, balance::HashType::kMapBased);
}

// The previous implementations: a pass over the eligible servers per pick.
struct Scan {
    std::vector<int> weight, conns;
    std::vector<int64_t> credit;
    size_t cursor = 0;
    explicit Scan(int n) : conns(n, 0), credit(n, 0) {
        for (const auto& s : servers(n)) {
            weight.push_back(s.weight);
        }
    }
    int round_robin() {
        int64_t total = 0;
        int best = -1;
        for (size_t id = 0; id < weight.size(); ++id) {
            credit[id] += weight[id];
            total += weight[id];
            if (best < 0 || credit[id] > credit[best]) {
                best = static_cast<int>(id);
            }
        }
        credit[best] -= total;
        return best;
    }
    int least_conn() {
        size_t n = weight.size(), best_pos = 0;
        int best = -1;
        for (size_t k = 0; k < n; ++k) {
            int id = static_cast<int>((cursor + k) % n);
            if (best < 0 || static_cast<int64_t>(conns[id]) * weight[best] <
                                static_cast<int64_t>(conns[best]) * weight[id]) {
                best = id;
                best_pos = static_cast<size_t>(id);
            }
        }
        cursor = best_pos + 1;
        return best;
    }
};

template <int (Scan::*Pick)()>
void run_scan(benchmark::State& state) {
    Scan scan(static_cast<int>(state.range(0)));
    std::array<int, kInFlight> held{};
    held.fill(-1);
    size_t slot = 0;
    for (auto _ : state) {
        int id = (scan.*Pick)();
        scan.conns[id]++;
        if (held[slot] >= 0) {
            scan.conns[held[slot]]--;
        }
        held[slot] = id;
        slot = (slot + 1) % kInFlight;
        benchmark::DoNotOptimize(id);
    }
}

void BM_RoundRobinScan(benchmark::State& s) {
    run_scan<&Scan::round_robin>(s);
}
void BM_LeastConnScan(benchmark::State& s) {
    run_scan<&Scan::least_conn>(s);
}

}  // namespace

BENCHMARK(BM_RoundRobin)->Arg(2)->Arg(100)->Arg(10000);
BENCHMARK(BM_LeastConn)->Arg(2)->Arg(100)->Arg(10000);
BENCHMARK(BM_HashMapBased)->Arg(2)->Arg(100)->Arg(10000);
BENCHMARK(BM_HashConsistent)->Arg(2)->Arg(100)->Arg(10000);
BENCHMARK(BM_First)->Arg(2)->Arg(100)->Arg(10000);
BENCHMARK(BM_RoundRobinScan)->Arg(2)->Arg(100)->Arg(10000);
BENCHMARK(BM_LeastConnScan)->Arg(2)->Arg(100)->Arg(10000);
