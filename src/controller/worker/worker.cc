#include "controller/worker/worker.h"

#include <chrono>

#include <spdlog/spdlog.h>

#include "common/uuid.h"
#include "db/amphora_repository.h"
#include "db/amphora_stats_repository.h"
#include "db/catalog_repository.h"
#include "db/failover_request_repository.h"
#include "db/vrrp_group_repository.h"
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
        auto failover = db::FailoverRequestRepository(db_).get(lb_id);
        if (!failover) {
            return Unexpected(failover.error());
        }
        t->failover_requested = failover->has_value();
        if (*failover && (*failover)->amphora_id) {
            t->failover_amphora_id = *(*failover)->amphora_id;
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return tree;
}

namespace {

std::string text_attr(const json& attrs, const char* key) {
    auto it = attrs.find(key);
    return it != attrs.end() && it->is_string() ? it->get<std::string>() : std::string();
}

json or_null(const std::string& value) {
    return value.empty() ? json(nullptr) : json(value);
}

}  // namespace

Result<std::vector<AmphoraRow>> Worker::amphorae_of(const std::string& lb_id) {
    auto rows = db::AmphoraRepository(db_).live_of_load_balancer(lb_id);
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<AmphoraRow> out;
    for (const auto& row : *rows) {
        const json& attrs = row.attrs;
        AmphoraRow amphora;
        amphora.info.id = row.id;
        amphora.info.compute_id = text_attr(attrs, "compute_id");
        amphora.info.lb_network_ip = text_attr(attrs, "lb_network_ip");
        amphora.info.vrrp_ip = text_attr(attrs, "vrrp_ip");
        amphora.info.vrrp_port_id = text_attr(attrs, "vrrp_port_id");
        amphora.info.vrrp_interface = text_attr(attrs, "vrrp_interface");
        amphora.info.cached_zone = text_attr(attrs, "cached_zone");
        amphora.role = text_attr(attrs, "role");
        amphora.vrrp_priority = attrs.value("vrrp_priority", json(nullptr));
        out.push_back(std::move(amphora));
    }
    return out;
}

Result<AmphoraRow> Worker::create_amphora(const LoadBalancerTree& tree, const json& graph,
                                          const RoleAssignment& role,
                                          const drivers::AmphoraRequest& request) {
    std::string id = make_uuid();
    const auto& lb = tree.load_balancer;
    json priority = role.vrrp_priority ? json(*role.vrrp_priority) : json(nullptr);
    json attrs = {{"compute_id", nullptr},
                  {"lb_network_ip", nullptr},
                  {"vrrp_ip", nullptr},
                  {"ha_ip", lb.attrs.value("vip_address", json(nullptr))},
                  {"vrrp_port_id", nullptr},
                  {"ha_port_id", lb.attrs.value("vip_port_id", json(nullptr))},
                  {"cert_expiration", nullptr},
                  {"cert_busy", false},
                  {"role", role.role},
                  {"vrrp_interface", nullptr},
                  {"vrrp_id", 1},
                  {"vrrp_priority", priority},
                  {"cached_zone", nullptr},
                  {"image_id", nullptr},
                  {"compute_flavor", nullptr}};
    // Recorded BOOTING before anything is started, as Octavia's create flow does: a worker killed
    // while the amphora boots leaves a row that whoever takes the load balancer over retires
    // (carry_out), instead of an agent nobody knows of.
    auto booked = db::AmphoraRepository(db_).insert({id, lb.id, std::string(model::kBooting),
                                                     format_timestamp(clock_.now()),
                                                     format_timestamp(clock_.now()), attrs});
    if (!booked) {
        return Unexpected(booked.error());
    }
    auto info = amphorae_.create_amphora(id, graph, request);
    if (!info) {
        // Whatever the failed start left (a directory, an agent that did not answer in time).
        drivers::AmphoraInfo started;
        started.id = id;
        retire_amphora(started);
        return Unexpected(info.error());
    }
    attrs["compute_id"] = info->compute_id;
    attrs["lb_network_ip"] = info->lb_network_ip;
    attrs["vrrp_ip"] = or_null(info->vrrp_ip);
    attrs["vrrp_port_id"] = or_null(info->vrrp_port_id);
    attrs["cert_expiration"] = or_null(info->cert_expiration);
    attrs["vrrp_interface"] = or_null(info->vrrp_interface);
    attrs["cached_zone"] = or_null(info->cached_zone);
    attrs["image_id"] = or_null(info->image_id);
    attrs["compute_flavor"] = or_null(info->compute_flavor);
    auto allocated = db::AmphoraRepository(db_).set_started(id, std::string(model::kAllocated),
                                                            attrs, format_timestamp(clock_.now()));
    if (!allocated) {
        retire_amphora(*info);
        return Unexpected(allocated.error());
    }
    return AmphoraRow{*info, role.role, priority};
}

Result<std::optional<std::string>> Worker::flavor_topology(const db::TreeObject& load_balancer) {
    std::string flavor_id = text_attr(load_balancer.attrs, "flavor_id");
    if (flavor_id.empty()) {
        return std::optional<std::string>();
    }
    auto found = db::CatalogRepository::profile_of_flavor(db_, flavor_id);
    if (!found) {
        return Unexpected(found.error());
    }
    if (!*found) {
        return std::optional<std::string>();
    }
    const json& profile = **found;
    json data = json::parse(text_attr(profile, "flavor_data"), nullptr, false);
    std::string topology = data.is_object() ? text_attr(data, "loadbalancer_topology") : "";
    return topology.empty() ? std::optional<std::string>() : std::optional<std::string>(topology);
}

Result<json> Worker::vrrp_group(const std::string& lb_id) {
    db::VrrpGroupRepository groups(db_);
    auto stored = groups.get(lb_id);
    if (!stored) {
        return Unexpected(stored.error());
    }
    if (*stored) {
        return **stored;
    }
    std::string name = lb_id;
    std::erase(name, '-');
    std::string password = make_uuid();
    std::erase(password, '-');
    json group = {{"vrrp_group_name", name},
                  {"vrrp_auth_type", "PASS"},
                  {"vrrp_auth_pass", password.substr(0, 7)},  // as Octavia: 7 of a uuid's hex
                  {"advert_int", options_.vrrp_advert_int}};
    if (auto inserted = groups.insert_if_absent(lb_id, group); !inserted) {
        return Unexpected(inserted.error());
    }
    return group;
}

Result<void> Worker::set_role(const std::string& amphora_id, const RoleAssignment& role) {
    std::optional<int64_t> priority;
    if (role.vrrp_priority) {
        priority = *role.vrrp_priority;
    }
    return db::AmphoraRepository(db_).set_role(amphora_id, role.role, priority,
                                               format_timestamp(clock_.now()));
}

// Makes the amphorae match the desired state: delete them with the load balancer, replace
// the failed one (or all, for a load balancer failover), create what the topology lacks
// (topology.h), then push the configuration: to the amphorae kept first, so a surviving MASTER
// knows its new peer before the new BACKUP's keepalived starts.
Result<void> Worker::carry_out(LoadBalancerTree& tree) {
    const auto& lb = tree.load_balancer;
    auto current = amphorae_of(lb.id);
    if (!current) {
        return Unexpected(current.error());
    }
    if (lb.provisioning_status == model::kPendingDelete) {
        for (const auto& amphora : *current) {
            if (auto gone = amphorae_.delete_amphora(amphora.info); !gone) {
                return gone;
            }
        }
        drivers::Vip vip{lb.attrs.value("vip_address", ""), lb.attrs.value("vip_port_id", ""),
                         lb.attrs.value("vip_subnet_id", ""), lb.attrs.value("vip_network_id", "")};
        return network_.deallocate_vip(lb.id, vip);
    }
    json graph = desired_graph(tree);
    std::vector<AmphoraRow> kept;
    for (auto& amphora : *current) {
        // No compute_id: still BOOTING, left by a worker that died while starting it.
        bool replace = amphora.info.compute_id.empty() ||
                       (tree.failover_requested && (tree.failover_amphora_id.empty() ||
                                                    tree.failover_amphora_id == amphora.info.id));
        if (!replace) {
            kept.push_back(std::move(amphora));
            continue;
        }
        if (auto gone = amphorae_.delete_amphora(amphora.info); !gone) {
            return gone;
        }
        if (auto marked = mark_amphora_deleted(amphora.info.id); !marked) {
            return marked;
        }
    }
    std::vector<std::string> roles;
    std::vector<std::string> hosts;
    for (const auto& amphora : kept) {
        roles.push_back(amphora.role);
        hosts.push_back(amphora.info.cached_zone);
    }
    auto flavor = flavor_topology(lb);
    if (!flavor) {
        return Unexpected(flavor.error());
    }
    const std::string topology =
        topology_of(roles, *flavor, options_.default_topology, options_.vrrp_capable);
    const bool pair = topology == kActiveStandby;
    AmphoraPlan plan = plan_amphorae(topology, roles);
    if (plan.survivor && !kept.empty()) {
        if (auto set = set_role(kept.front().info.id, *plan.survivor); !set) {
            return set;
        }
        kept.front().role = plan.survivor->role;
        kept.front().vrrp_priority = *plan.survivor->vrrp_priority;
    }
    std::vector<AmphoraRow> created;
    // Revert, as Octavia's create and failover flows do: an amphora that never served is removed
    // rather than left running without a configuration.
    auto revert = [&](Error error) -> Result<void> {
        for (const auto& amphora : created) {
            retire_amphora(amphora.info);
        }
        return Unexpected(std::move(error));
    };
    for (const auto& role : plan.create) {
        drivers::AmphoraRequest request;
        request.vrrp = pair;
        if (pair) {
            request.avoid_hosts = hosts;  // anti-affinity within the pair
        }
        auto made = create_amphora(tree, graph, role, request);
        if (!made) {
            return revert(made.error());
        }
        hosts.push_back(made->info.cached_zone);
        created.push_back(std::move(*made));
    }
    if (pair) {
        auto group = vrrp_group(lb.id);
        if (!group) {
            return revert(group.error());
        }
        graph["topology"] = topology;
        graph["vrrp_group"] = *group;
        graph["keepalived_vrrp"] = options_.keepalived_vrrp;
        graph["amphorae"] = json::array();
        for (const auto* rows : {&kept, &created}) {
            for (const auto& amphora : *rows) {
                graph["amphorae"].push_back({{"id", amphora.info.id},
                                             {"status", model::kAllocated},
                                             {"role", amphora.role},
                                             {"vrrp_ip", amphora.info.vrrp_ip},
                                             {"vrrp_id", 1},
                                             {"vrrp_priority", amphora.vrrp_priority},
                                             {"vrrp_interface", amphora.info.vrrp_interface}});
            }
        }
    }
    for (const auto* rows : {&kept, &created}) {
        for (const auto& amphora : *rows) {
            if (auto applied = amphorae_.apply(amphora.info, graph); !applied) {
                return revert(applied.error());
            }
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
    return db::AmphoraRepository(db_).mark_deleted(amphora_id, format_timestamp(clock_.now()));
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
                done = store_.set_attrs(change.kind, change.id, change.attrs);
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
            if (auto r = db::AmphoraRepository(db_).mark_deleted_of_load_balancer(lb_id, now); !r) {
                return r;
            }
            if (auto r = db::AmphoraStatsRepository(db_).remove_of_load_balancer(lb_id); !r) {
                return r;
            }
            if (auto r = db::VrrpGroupRepository(db_).remove(lb_id); !r) {
                return r;
            }
        }
        if (auto cleared = db::FailoverRequestRepository(db_).clear(lb_id); !cleared) {
            return cleared;
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
