#include "controller/worker/worker.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "common/uuid.h"
#include "model/statuses.h"

namespace octane::controller {

using model::Kind;
using nlohmann::json;

Worker::Worker(db::Database& db, drivers::AmphoraDriver& amphorae, drivers::NetworkDriver& network,
               const Clock& clock, WorkerOptions options)
    : db_(db),
      store_(db),
      amphorae_(amphorae),
      network_(network),
      clock_(clock),
      options_(options),
      leases_(db, LeaseOwner::current(), options.lease_ms) {}

Worker::~Worker() {
    stop();
}

void Worker::start() {
    stopping_ = false;
    for (int i = 0; i < std::max(1, options_.threads); ++i) {
        threads_.emplace_back([this] { run(); });
    }
}

void Worker::stop() {
    stopping_ = true;
    {
        std::lock_guard lock(mutex_);
        pending_signal_ = true;
    }
    wake_.notify_all();
    for (auto& thread : threads_) {
        thread.join();
    }
    threads_.clear();
}

void Worker::notify() {
    {
        std::lock_guard lock(mutex_);
        pending_signal_ = true;
    }
    wake_.notify_one();
}

void Worker::run() {
    while (!stopping_) {
        bool worked = false;
        try {
            worked = process_one();
        } catch (const std::exception& e) {
            spdlog::error("worker: unexpected failure: {}", e.what());
        }
        if (worked) {
            continue;
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms),
                       [this] { return pending_signal_ || stopping_.load(); });
        pending_signal_ = false;
    }
}

Result<LoadBalancerTree> Worker::load_tree(const std::string& lb_id) {
    LoadBalancerTree tree;
    LoadBalancerTree* t = &tree;
    auto done = db_.read([&]() -> Result<void> {
        auto lb = store_.get(Kind::kLoadBalancer, lb_id);
        if (!lb || !*lb) {
            return make_error("load balancer " + lb_id + " vanished");
        }
        t->load_balancer = std::move(**lb);
        std::pair<Kind, std::vector<db::TreeObject>*> groups[] = {
            {Kind::kListener, &t->listeners},  {Kind::kPool, &t->pools},
            {Kind::kMember, &t->members},      {Kind::kHealthMonitor, &t->health_monitors},
            {Kind::kL7Policy, &t->l7policies}, {Kind::kL7Rule, &t->l7rules}};
        for (auto& [kind, target] : groups) {
            auto objects = store_.by_load_balancer(kind, lb_id);
            if (!objects) {
                return Unexpected(objects.error());
            }
            *target = std::move(*objects);
        }
        auto failover =
            db_.query("SELECT 1 FROM failover_requests WHERE load_balancer_id = ?", {lb_id});
        if (!failover) {
            return Unexpected(failover.error());
        }
        t->failover_requested = !failover->empty();
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return tree;
}

Result<std::vector<drivers::AmphoraInfo>> Worker::amphorae_of(const std::string& lb_id) {
    auto rows = db_.query(
        "SELECT id, attrs FROM amphorae WHERE load_balancer_id = ? AND status != 'DELETED'",
        {lb_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<drivers::AmphoraInfo> out;
    for (const auto& row : *rows) {
        json attrs = json::parse(row.text(1));
        drivers::AmphoraInfo info;
        info.id = row.text(0);
        info.compute_id = attrs.value("compute_id", "");
        info.lb_network_ip = attrs.value("lb_network_ip", "");
        out.push_back(info);
    }
    return out;
}

Result<drivers::AmphoraInfo> Worker::create_amphora(const LoadBalancerTree& tree,
                                                    const json& graph) {
    std::string id = make_uuid();
    auto info = amphorae_.create_amphora(id, graph);
    if (!info) {
        return info;
    }
    const auto& lb = tree.load_balancer;
    json attrs = {
        {"compute_id", info->compute_id},
        {"lb_network_ip", info->lb_network_ip},
        {"vrrp_ip", info->vrrp_ip.empty() ? json(nullptr) : json(info->vrrp_ip)},
        {"ha_ip", lb.attrs.value("vip_address", json(nullptr))},
        {"vrrp_port_id", info->vrrp_port_id.empty() ? json(nullptr) : json(info->vrrp_port_id)},
        {"ha_port_id", lb.attrs.value("vip_port_id", json(nullptr))},
        {"cert_expiration",
         info->cert_expiration.empty() ? json(nullptr) : json(info->cert_expiration)},
        {"cert_busy", false},
        {"role", "STANDALONE"},
        {"vrrp_interface",
         info->vrrp_interface.empty() ? json(nullptr) : json(info->vrrp_interface)},
        {"vrrp_id", 1},
        {"vrrp_priority", nullptr},
        {"cached_zone", info->cached_zone.empty() ? json(nullptr) : json(info->cached_zone)},
        {"image_id", info->image_id.empty() ? json(nullptr) : json(info->image_id)},
        {"compute_flavor",
         info->compute_flavor.empty() ? json(nullptr) : json(info->compute_flavor)}};
    auto inserted = db_.exec(
        "INSERT INTO amphorae (id, load_balancer_id, status, created_at, updated_at, attrs) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {id, lb.id, std::string(model::kAllocated), format_timestamp(clock_.now()),
         format_timestamp(clock_.now()), attrs.dump()});
    if (!inserted) {
        return Unexpected(inserted.error());
    }
    return info;
}

// Makes the amphorae match the desired state: delete them with the load balancer, replace
// them on failover, create one when there is none, then push the configuration.
Result<void> Worker::carry_out(LoadBalancerTree& tree) {
    const auto& lb = tree.load_balancer;
    auto current = amphorae_of(lb.id);
    if (!current) {
        return Unexpected(current.error());
    }
    if (lb.provisioning_status == model::kPendingDelete) {
        for (const auto& amphora : *current) {
            if (auto gone = amphorae_.delete_amphora(amphora); !gone) {
                return gone;
            }
        }
        drivers::Vip vip{lb.attrs.value("vip_address", ""), lb.attrs.value("vip_port_id", ""),
                         lb.attrs.value("vip_subnet_id", ""), lb.attrs.value("vip_network_id", "")};
        return network_.deallocate_vip(lb.id, vip);
    }
    json graph = desired_graph(tree);
    if (tree.failover_requested && !current->empty()) {
        for (const auto& amphora : *current) {
            if (auto gone = amphorae_.delete_amphora(amphora); !gone) {
                return gone;
            }
            if (auto marked = mark_amphora_deleted(amphora.id); !marked) {
                return marked;
            }
        }
        current->clear();
    }
    bool booted_now = current->empty();
    if (booted_now) {
        auto created = create_amphora(tree, graph);
        if (!created) {
            return Unexpected(created.error());
        }
        current->push_back(*created);
    }
    for (const auto& amphora : *current) {
        if (auto applied = amphorae_.apply(amphora, graph); !applied) {
            if (booted_now) {
                // Revert, as Octavia's create and failover flows do: an amphora that never
                // served is removed rather than left running without a configuration.
                retire_amphora(amphora);
            }
            return applied;
        }
    }
    return {};
}

void Worker::retire_amphora(const drivers::AmphoraInfo& amphora) {
    if (auto gone = amphorae_.delete_amphora(amphora); !gone) {
        spdlog::error("worker: cannot remove amphora {}: {}", amphora.id, gone.error().message);
    }
    if (auto marked = mark_amphora_deleted(amphora.id); !marked) {
        spdlog::error("worker: cannot mark amphora {} DELETED: {}", amphora.id,
                      marked.error().message);
    }
}

Result<void> Worker::mark_amphora_deleted(const std::string& amphora_id) {
    auto marked = db_.exec("UPDATE amphorae SET status = 'DELETED', updated_at = ? WHERE id = ?",
                           {format_timestamp(clock_.now()), amphora_id});
    if (!marked) {
        return Unexpected(marked.error());
    }
    return {};
}

Result<void> Worker::apply_plan(const std::string& lb_id, const std::vector<StatusChange>& plan,
                                bool drop_amphorae) {
    std::string now = format_timestamp(clock_.now());
    return db_.transaction([&]() -> Result<void> {
        auto held = leases_.holds(lb_id);
        if (!held) {
            return Unexpected(held.error());
        }
        if (!*held) {
            return make_error("lease on " + lb_id + " was taken over; not finishing");
        }
        for (const auto& change : plan) {
            Result<void> done;
            if (change.action == StatusChange::Action::kDelete) {
                done = store_.remove(change.kind, change.id);
            } else if (change.action == StatusChange::Action::kUpdateAttrs) {
                auto r = db_.exec("UPDATE " + std::string(model::table_of(change.kind)) +
                                      " SET attrs = ? WHERE id = ?",
                                  {change.attrs.dump(), change.id});
                done = r ? Result<void>() : Result<void>(Unexpected(r.error()));
            } else {
                if (!change.provisioning_status.empty()) {
                    done = store_.set_provisioning_status(change.kind, change.id,
                                                          change.provisioning_status, now);
                }
                if (done && !change.operating_status.empty()) {
                    done = store_.set_operating_status(change.kind, change.id,
                                                       change.operating_status);
                }
            }
            if (!done) {
                return done;
            }
        }
        if (drop_amphorae) {
            auto r = db_.exec(
                "UPDATE amphorae SET status = 'DELETED', updated_at = ? WHERE "
                "load_balancer_id = ? AND status != 'DELETED'",
                {now, lb_id});
            if (!r) {
                return Unexpected(r.error());
            }
            r = db_.exec("DELETE FROM amphora_stats WHERE load_balancer_id = ?", {lb_id});
            if (!r) {
                return Unexpected(r.error());
            }
        }
        auto cleared =
            db_.exec("DELETE FROM failover_requests WHERE load_balancer_id = ?", {lb_id});
        if (!cleared) {
            return Unexpected(cleared.error());
        }
        return leases_.release(lb_id);
    });
}

bool Worker::process_one() {
    auto claimed = leases_.claim(to_unix_millis(clock_.now()));
    if (!claimed) {
        spdlog::error("worker: cannot claim work: {}", claimed.error().message);
        return false;
    }
    if (!*claimed) {
        return false;
    }
    const std::string lb_id = **claimed;
    auto started = std::chrono::steady_clock::now();
    auto tree = load_tree(lb_id);
    if (!tree) {
        spdlog::error("worker: {}: {}", lb_id, tree.error().message);
        (void)leases_.release(lb_id);
        return true;
    }
    const std::string started_from = tree->load_balancer.provisioning_status;
    auto outcome = carry_out(*tree);
    bool deleting = tree->load_balancer.provisioning_status == model::kPendingDelete;
    Result<void> finished;
    if (outcome) {
        finished = apply_plan(lb_id, plan_success(*tree), deleting);
        spdlog::info("worker: load balancer {} {} done", lb_id,
                     tree->load_balancer.provisioning_status);
    } else {
        spdlog::error("worker: load balancer {} {} failed: {}", lb_id,
                      tree->load_balancer.provisioning_status, outcome.error().message);
        finished = apply_plan(lb_id, plan_failure(*tree), false);
    }
    if (!finished) {
        spdlog::error("worker: cannot record the outcome for {}: {}", lb_id,
                      finished.error().message);
    }
    if (options_.on_flow_finished) {
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        options_.on_flow_finished(started_from, outcome && finished, took.count());
    }
    return true;
}

}  // namespace octane::controller
