#pragma once

// The runtime snapshot: an immutable translation of the parsed config plus the mutable state
// workers share (server up/down, balancer, counters). Workers reach it by reference; a reload
// starts a new process, so a snapshot lives as long as its process.

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "proxy/balance/balancer.h"
#include "proxy/config/model.h"
#include "proxy/http/l7_rules.h"
#include "proxy/runtime/counters.h"
#include "proxy/runtime/stick_table.h"

namespace octane::proxy {

namespace tls {
class FrontendTls;
class BackendTls;
}  // namespace tls
class Sockmap;

enum class ServerStatus { kUp, kDown, kMaint };

struct ServerState {
    const config::ServerLine* cfg = nullptr;
    int id = 0;  // index in the backend, also the balancer id
    int puid = 0;
    Counters counters;
    std::atomic<ServerStatus> status{ServerStatus::kUp};
    std::atomic<int64_t> last_change{0};  // unix seconds
    std::atomic<int> weight{0};           // the configured one until `set weight` changes it
    std::atomic<int64_t> chkfail{0}, chkdown{0};
    std::atomic<int64_t> down_since_ms{0}, downtime_ms{0};
    // Written by the checker thread only; read by stats.
    std::atomic<int> check_health{0};
    std::atomic<int> check_code{0};
    std::atomic<int> check_duration_ms{-1};
    std::atomic<const char*> check_status{""};   // static strings: "L4OK", "L4CON", "L7OK"...
    const tls::BackendTls* tls = nullptr;        // `ssl`: traffic over TLS (runtime/tls_setup.h)
    const tls::BackendTls* check_tls = nullptr;  // health checks over TLS (`ssl` or `check-ssl`)
};

struct BackendState {
    const config::ProxySection* cfg = nullptr;
    int iid = 0;
    std::vector<std::unique_ptr<ServerState>> servers;
    Counters counters;
    std::atomic<int64_t> last_change{0};

    // Balancer and stick table are shared by all threads: guarded by mu.
    std::mutex mu;
    std::unique_ptr<balance::Balancer> lb;
    std::unique_ptr<StickTable> stick;  // null without `stick on src`
    // APP_COOKIE persistence: `stick match req.cook(N)` + `stick store-response res.cook(N)`.
    std::string stick_cookie_match;  // N of req.cook(N), empty when absent
    std::string stick_cookie_store;  // N of res.cook(N), empty when absent
    std::unique_ptr<StickTable> cookie_stick;
    // Set when the table is replicated (`stick-table ... peers`): told of each entry the engine
    // stores (not of those a peer sent), under mu.
    std::function<void(const std::string& key, int server)> stick_stored;
    std::unique_ptr<http::L7Rules> rules;  // backend http-request lines (header insertion)

    // The table `show table` shows and peers replicate: the `stick on src` one, else the
    // APP_COOKIE one; nullptr when the backend has neither.
    StickTable* stick_table() const { return stick ? stick.get() : cookie_stick.get(); }

    // Thread-safe pick; returns a server with a taken connection slot, or nullptr.
    ServerState* pick(const balance::PickContext& ctx, const std::string* stick_key);
    void release(ServerState* s);
    // Takes a slot on `s` if it is still eligible-up; returns s or nullptr.
    ServerState* take_specific(ServerState* s);
    // The server whose `cookie` value is `value`, or nullptr.
    ServerState* by_cookie(std::string_view value);
    // APP_COOKIE persistence: the server stored for `value` if still up (slot taken), or null.
    ServerState* take_by_stick_cookie(const std::string& value);
    void store_stick_cookie(const std::string& value, ServerState* s);
    // Thread-safe status change; updates the balancer.
    void set_server_up(ServerState* s, bool up, int64_t now_unix);
    // Thread-safe `set weight` (0 drains); updates the balancer.
    void set_server_weight(ServerState* s, int weight);
    int active_up() const;
    int backup_up() const;
    int total_weight_up() const;
};

struct FrontendState {
    const config::ProxySection* cfg = nullptr;
    int iid = 0;
    BackendState* default_backend = nullptr;
    Counters counters;
    int maxconn = 0;                       // effective, 0 = unlimited
    std::unique_ptr<http::L7Rules> rules;  // acl / http-request / redirect / use_backend
    // `http-request use-service prometheus-exporter [if cond]`: served by the proxy itself.
    bool has_metrics_service = false;
    http::AclTable metrics_acls;
    http::Condition metrics_cond;
};

struct Snapshot {
    config::Config config;  // owns the sections the states point into
    std::vector<std::unique_ptr<FrontendState>> frontends;
    std::vector<std::unique_ptr<BackendState>> backends;
    std::unordered_map<std::string, BackendState*> backend_by_name;
    int maxconn = 0;  // effective global limit
    int nbthread = 1;
    int64_t start_unix = 0;
    std::atomic<int64_t> cur_conns{0}, cum_conns{0};
    // TLS contexts (runtime/tls_setup.h), owned here; binds reach theirs by their config line.
    std::vector<std::unique_ptr<tls::FrontendTls>> frontend_tls;
    std::vector<std::unique_ptr<tls::BackendTls>> backend_tls;
    std::unordered_map<const config::BindLine*, const tls::FrontendTls*> bind_tls;
    ~Snapshot();
    // The L4 kernel fast path, when loaded (owned by the process, outlives the workers).
    Sockmap* sockmap = nullptr;
};

// Builds the runtime snapshot; every server with `check` starts as HAProxy does (up until its
// first failed check), `disabled` ones in maintenance.
std::unique_ptr<Snapshot> build_snapshot(config::Config cfg, int maxconn);

}  // namespace octane::proxy
