#pragma once

// The controller worker: claims load balancers with pending changes (lease.h), carries the change
// out through the amphora and network drivers, and writes the final states of
// docs/octavia-api.md §3.2 (completion.h). Runs `threads` threads, each on its own load balancer
// (the lease keeps two off the same one), so one slow amphora boot does not hold up the others;
// they wake on notify() or every poll interval, so a worker in another process than the API still
// sees new work.

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "common/clock.h"
#include "controller/worker/completion.h"
#include "controller/worker/lease.h"
#include "controller/worker/topology.h"
#include "db/object_store.h"
#include "drivers/amphora_driver.h"
#include "drivers/network_driver.h"

namespace octane::controller {

struct WorkerOptions {
    int64_t lease_ms = 30000;
    int64_t poll_ms = 200;
    int threads = 1;
    // Called after each flow with the state it started from, its outcome and its duration.
    std::function<void(const std::string& provisioning_status, bool succeeded, double seconds)>
        on_flow_finished;
    std::string default_topology = "SINGLE";  // [controller_worker] loadbalancer_topology
    bool vrrp_capable = false;  // the drivers can run an ACTIVE_STANDBY pair (topology.h)
    int vrrp_advert_int = 1;    // [keepalived_vrrp] vrrp_advert_int
    // The other [keepalived_vrrp] options, read at each render as Octavia does (the graph's
    // "keepalived_vrrp", render/keepalived_config.h); empty = Octavia's defaults.
    nlohmann::json keepalived_vrrp = nlohmann::json::object();
};

// An amphora row of the load balancer as the worker needs it.
struct AmphoraRow {
    drivers::AmphoraInfo info;
    std::string role;
    nlohmann::json vrrp_priority;  // number or null
};

class Worker {
  public:
    Worker(db::Database& db, drivers::AmphoraDriver& amphorae, drivers::NetworkDriver& network,
           const Clock& clock, WorkerOptions options);
    ~Worker();

    void start();
    void stop();
    void notify();
    // Claims and completes one pending load balancer; false when there was none.
    bool process_one();

  private:
    void run();
    Result<LoadBalancerTree> load_tree(const std::string& lb_id);
    Result<void> carry_out(LoadBalancerTree& tree);
    Result<void> apply_plan(const std::string& lb_id, const std::vector<StatusChange>& plan,
                            bool drop_amphorae);
    Result<std::vector<AmphoraRow>> amphorae_of(const std::string& lb_id);
    Result<AmphoraRow> create_amphora(const LoadBalancerTree& tree, const nlohmann::json& graph,
                                      const RoleAssignment& role,
                                      const drivers::AmphoraRequest& request);
    // The loadbalancer_topology of the load balancer's flavor's profile, if it names one.
    Result<std::optional<std::string>> flavor_topology(const db::TreeObject& load_balancer);
    // Octavia's vrrp_group of the load balancer (name, auth type and password, advert_int),
    // made on first use.
    Result<nlohmann::json> vrrp_group(const std::string& lb_id);
    Result<void> set_role(const std::string& amphora_id, const RoleAssignment& role);
    // Removes an amphora that never served (revert of a failed create or failover).
    void retire_amphora(const drivers::AmphoraInfo& amphora);
    Result<void> mark_amphora_deleted(const std::string& amphora_id);

    db::Database& db_;
    db::ObjectStore store_;
    drivers::AmphoraDriver& amphorae_;
    drivers::NetworkDriver& network_;
    const Clock& clock_;
    WorkerOptions options_;
    LeaseTable leases_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool pending_signal_ = false;  // guarded by mutex_
    std::atomic<bool> stopping_{false};
    std::vector<std::thread> threads_;
};

}  // namespace octane::controller
