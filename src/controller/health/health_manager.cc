#include "controller/health/health_manager.h"

#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "common/file_util.h"
#include "db/amphora_health_schema.h"

namespace octane::controller::health {
namespace {

// Datagrams that did not end well: what the periodic log line reports.
uint64_t problems(const HealthCounters& c) {
    return c.total() - c.get(Counter::kReceived) - c.get(Counter::kAccepted) -
           c.get(Counter::kRestarts) - c.get(Counter::kFailovers);
}

}  // namespace

HealthManager::HealthManager(db::Database& db, const Clock& clock, HealthManagerOptions options,
                             std::function<void()> notify_worker)
    : db_(db),
      clock_(clock),
      options_(std::move(options)),
      notify_worker_(std::move(notify_worker)),
      store_(db) {}

HealthManager::~HealthManager() {
    stop();
}

Result<void> HealthManager::start() {
    if (options_.heartbeat_key.empty()) {
        return make_error("health manager: heartbeat_key is empty");
    }
    if (auto migrated = db::migrate_amphora_health(db_); !migrated) {
        return make_error("health manager: cannot create its table: " + migrated.error().message);
    }
    auto receiver =
        HeartbeatReceiver::open(options_.bind_ip, options_.bind_port, options_.max_datagram);
    if (!receiver) {
        return Unexpected(receiver.error());
    }
    receiver_ = std::move(*receiver);
    if (!options_.state_dir.empty()) {
        if (auto written =
                write_port_file(options_.state_dir + "/" + kHealthPortFile, receiver_->port());
            !written) {
            return written;
        }
    }
    processor_ = std::make_unique<HeartbeatProcessor>(
        store_, counters_, clock_, options_.heartbeat_key, options_.max_datagram);
    check_ = std::make_unique<FailoverCheck>(
        db_, clock_,
        FailoverCheckOptions{options_.heartbeat_timeout, options_.fail_over_never_seen,
                             clock_.now()});
    evacuation_ = std::make_unique<HostEvacuation>(db_, *check_, options_.peers_may_share_host);
    auto handle = [this](std::string_view datagram, size_t full_size, const std::string& peer) {
        Counter outcome = processor_->handle(datagram, full_size);
        if (outcome != Counter::kAccepted) {
            spdlog::debug("health: datagram of {} bytes from {}: {}", full_size, peer,
                          counter_name(outcome));
        }
    };
    // One commit for the heartbeats of a window instead of one each: the idle cost of many
    // amphorae is mostly this write. Each heartbeat's own transaction nests inside.
    auto batch = [this](const std::function<void()>& drain) {
        bool drained = false;
        auto done = db_.transaction([&]() -> Result<void> {
            drain();
            drained = true;
            return {};
        });
        if (!drained) {
            spdlog::error("health: cannot begin a heartbeat batch: {}", done.error().message);
            drain();  // one transaction per heartbeat then
        } else if (!done) {
            spdlog::error("health: heartbeat batch not committed: {}", done.error().message);
        }
    };
    receiver_->start(handle, batch, options_.batch_window);
    {
        std::lock_guard lock(mutex_);
        stopping_ = false;
    }
    check_thread_ = std::thread([this] { check_loop(); });
    spdlog::info(
        "health manager listening on udp {}:{} (heartbeat_timeout {} s, health_check_interval {} "
        "s)",
        options_.bind_ip, receiver_->port(), options_.heartbeat_timeout.count(),
        options_.check_interval.count());
    return {};
}

void HealthManager::stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (check_thread_.joinable()) {
        check_thread_.join();
    }
    if (receiver_) {
        receiver_->stop();
        published_total_ = UINT64_MAX;
        publish_counters();
    }
}

void HealthManager::check_loop() {
    while (true) {
        try {
            check_now();
        } catch (const std::exception& e) {
            spdlog::error("health: check failed: {}", e.what());
        }
        std::unique_lock lock(mutex_);
        if (wake_.wait_for(lock, options_.check_interval, [this] { return stopping_; })) {
            return;
        }
    }
}

void HealthManager::check_now() {
    auto requested = check_->run_once();
    if (!requested) {
        counters_.add(Counter::kStorageErrors);
        spdlog::error("health: stale-amphora check failed: {}", requested.error().message);
    } else if (!requested->empty()) {
        for (const auto& r : *requested) {
            spdlog::warn(
                "health: amphora {} of load balancer {} silent for more than {} s: failover "
                "requested",
                r.amphora_id, r.load_balancer_id, options_.heartbeat_timeout.count());
        }
        counters_.add(Counter::kFailovers, requested->size());
        if (notify_worker_) {
            notify_worker_();
        }
    }
    evacuate_next();
    publish_counters();
}

void HealthManager::evacuate_next() {
    auto requested = evacuation_->run_once();
    if (!requested) {
        counters_.add(Counter::kStorageErrors);
        spdlog::error("health: host evacuation check failed: {}", requested.error().message);
        return;
    }
    if (!*requested) {
        return;
    }
    spdlog::warn("health: amphora {} of load balancer {} is on a disabled host: failover requested",
                 (*requested)->amphora_id, (*requested)->load_balancer_id);
    counters_.add(Counter::kFailovers);
    if (notify_worker_) {
        notify_worker_();
    }
}

void HealthManager::publish_counters() {
    uint64_t total = counters_.total();
    if (total == published_total_) {
        return;
    }
    published_total_ = total;
    nlohmann::json snapshot = counters_.to_json();
    uint64_t now_problems = problems(counters_);
    if (now_problems != logged_problems_) {
        logged_problems_ = now_problems;
        spdlog::warn("health: datagrams not applied so far: {}", snapshot.dump());
    }
    if (options_.state_dir.empty()) {
        return;
    }
    snapshot["updated_at"] = format_timestamp(clock_.now());
    auto written = write_counters_file(options_.state_dir + "/" + kHealthCountersFile, snapshot);
    if (!written) {
        spdlog::error("health: {}", written.error().message);
    }
}

}  // namespace octane::controller::health
