#include "controller/health/heartbeat_processor.h"

#include <spdlog/spdlog.h>

namespace octane::controller::health {

HeartbeatProcessor::HeartbeatProcessor(HeartbeatStore& store, HealthCounters& counters,
                                       const Clock& clock, std::string key, size_t max_datagram)
    : store_(store),
      counters_(counters),
      clock_(clock),
      key_(std::move(key)),
      max_datagram_(max_datagram) {}

Counter HeartbeatProcessor::handle(std::string_view datagram, size_t full_size) {
    counters_.add(Counter::kReceived);
    if (full_size > max_datagram_ || datagram.size() < full_size) {
        counters_.add(Counter::kOversized);
        return Counter::kOversized;
    }
    auto heartbeat = wire::decode_heartbeat(datagram, key_);
    if (!heartbeat) {
        Counter reason = counter_of(static_cast<wire::HeartbeatError>(heartbeat.error().code));
        counters_.add(reason);
        spdlog::debug("health: datagram dropped ({}): {}", counter_name(reason),
                      heartbeat.error().message);
        return reason;
    }
    Counter outcome = admit(*heartbeat);
    counters_.add(outcome);
    return outcome;
}

// The replay guard, then the database.
Counter HeartbeatProcessor::admit(const wire::Heartbeat& hb) {
    if (!guard_.knows(hb.amphora_id)) {
        auto stored = store_.stored_seq(hb.amphora_id);
        if (!stored) {
            spdlog::error("health: cannot read amphora_health: {}", stored.error().message);
            return Counter::kStorageErrors;
        }
        if (*stored) {
            guard_.check(hb.amphora_id, **stored);
        }
    }
    switch (guard_.check(hb.amphora_id, hb.seq)) {
        case SequenceGuard::Verdict::kReplay:
            spdlog::debug("health: heartbeat of amphora {} seq {} dropped (replayed or reordered)",
                          hb.amphora_id, hb.seq);
            return Counter::kReplayed;
        case SequenceGuard::Verdict::kRestart:
            counters_.add(Counter::kRestarts);
            spdlog::info("health: amphora {} restarted its sequence at {}", hb.amphora_id, hb.seq);
            break;
        case SequenceGuard::Verdict::kAccept:
            break;
    }
    auto applied = store_.apply(hb, clock_.now());
    if (!applied) {
        spdlog::error("health: heartbeat of amphora {} not applied: {}", hb.amphora_id,
                      applied.error().message);
        return Counter::kStorageErrors;
    }
    switch (*applied) {
        case ApplyOutcome::kApplied:
            return Counter::kAccepted;
        case ApplyOutcome::kUnknownAmphora:
            spdlog::debug("health: heartbeat from unknown amphora {} ignored", hb.amphora_id);
            return Counter::kUnknownAmphora;
        case ApplyOutcome::kInactiveLoadBalancer:
            return Counter::kInactiveLoadBalancer;
    }
    return Counter::kStorageErrors;
}

}  // namespace octane::controller::health
