#include "controller/health/health_counters.h"

#include <filesystem>
#include <fstream>

#include "common/file_util.h"

namespace octane::controller::health {
namespace {

constexpr Counter kDropped[] = {Counter::kOversized, Counter::kTruncated, Counter::kBadHmac,
                                Counter::kBadZlib,   Counter::kBadJson,   Counter::kBadVersion,
                                Counter::kBadSchema, Counter::kReplayed};
constexpr Counter kIgnored[] = {Counter::kUnknownAmphora, Counter::kInactiveLoadBalancer};
constexpr Counter kPlain[] = {Counter::kReceived, Counter::kAccepted, Counter::kRestarts,
                              Counter::kStorageErrors, Counter::kFailovers};

}  // namespace

const char* counter_name(Counter counter) {
    switch (counter) {
        case Counter::kReceived:
            return "received";
        case Counter::kAccepted:
            return "accepted";
        case Counter::kOversized:
            return "oversized";
        case Counter::kTruncated:
            return "truncated";
        case Counter::kBadHmac:
            return "bad_hmac";
        case Counter::kBadZlib:
            return "bad_zlib";
        case Counter::kBadJson:
            return "bad_json";
        case Counter::kBadVersion:
            return "bad_version";
        case Counter::kBadSchema:
            return "bad_schema";
        case Counter::kReplayed:
            return "replayed";
        case Counter::kUnknownAmphora:
            return "unknown_amphora";
        case Counter::kInactiveLoadBalancer:
            return "inactive_load_balancer";
        case Counter::kRestarts:
            return "restarts";
        case Counter::kStorageErrors:
            return "storage_errors";
        case Counter::kFailovers:
            return "failovers";
        case Counter::kCount:
            break;
    }
    return "unknown";
}

Counter counter_of(wire::HeartbeatError error) {
    switch (error) {
        case wire::HeartbeatError::kOversized:
            return Counter::kOversized;
        case wire::HeartbeatError::kTruncated:
            return Counter::kTruncated;
        case wire::HeartbeatError::kBadHmac:
            return Counter::kBadHmac;
        case wire::HeartbeatError::kBadZlib:
            return Counter::kBadZlib;
        case wire::HeartbeatError::kBadJson:
            return Counter::kBadJson;
        case wire::HeartbeatError::kBadVersion:
            return Counter::kBadVersion;
        case wire::HeartbeatError::kBadSchema:
            return Counter::kBadSchema;
    }
    return Counter::kBadSchema;
}

uint64_t HealthCounters::total() const {
    uint64_t sum = 0;
    for (const auto& value : values_) {
        sum += value.load(std::memory_order_relaxed);
    }
    return sum;
}

nlohmann::json HealthCounters::to_json() const {
    nlohmann::json out = nlohmann::json::object();
    for (Counter c : kPlain) {
        out[counter_name(c)] = get(c);
    }
    nlohmann::json dropped = nlohmann::json::object();
    uint64_t dropped_total = 0;
    for (Counter c : kDropped) {
        dropped[counter_name(c)] = get(c);
        dropped_total += get(c);
    }
    out["dropped"] = std::move(dropped);
    out["dropped_total"] = dropped_total;
    nlohmann::json ignored = nlohmann::json::object();
    for (Counter c : kIgnored) {
        ignored[counter_name(c)] = get(c);
    }
    out["ignored"] = std::move(ignored);
    return out;
}

Result<void> write_counters_file(const std::string& path, const nlohmann::json& counters) {
    return write_file_atomic(path, counters.dump(2) + "\n", 0644);
}

}  // namespace octane::controller::health
