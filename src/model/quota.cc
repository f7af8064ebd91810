#include "model/quota.h"

namespace octane::model {

namespace {

struct QuotaNames {
    std::string_view key;     // in quota bodies and rows
    std::string_view option;  // [quotas] default_<...>_quota
};

// Indexed by Kind, in the enum's order.
constexpr QuotaNames kNames[] = {
    {"loadbalancer", "default_load_balancer_quota"},
    {"listener", "default_listener_quota"},
    {"pool", "default_pool_quota"},
    {"member", "default_member_quota"},
    {"healthmonitor", "default_health_monitor_quota"},
    {"l7policy", "default_l7policy_quota"},
    {"l7rule", "default_l7rule_quota"},
};
static_assert(std::size(kNames) == std::size(kAllKinds));

}  // namespace

std::string_view quota_key(Kind kind) {
    return kNames[static_cast<size_t>(kind)].key;
}

std::string_view quota_default_option(Kind kind) {
    return kNames[static_cast<size_t>(kind)].option;
}

int64_t effective_quota(const nlohmann::json& stored, Kind kind, const QuotaDefaults& defaults) {
    if (stored.is_object()) {
        std::string key(quota_key(kind));
        std::string alias = kind == Kind::kLoadBalancer    ? "load_balancer"
                            : kind == Kind::kHealthMonitor ? "health_monitor"
                                                           : key;
        for (const auto& name : {key, alias}) {
            auto it = stored.find(name);
            if (it != stored.end() && it->is_number_integer()) {
                return it->get<int64_t>();
            }
        }
    }
    return defaults.of(kind);
}

bool quota_exceeded(const QuotaDemand& demand) {
    if (demand.adding <= 0 || demand.limit == kQuotaUnlimited) {
        return false;
    }
    return demand.in_use + demand.adding > demand.limit;
}

std::optional<Kind> first_exceeded(const std::vector<QuotaDemand>& demands) {
    for (const auto& demand : demands) {
        if (quota_exceeded(demand)) {
            return demand.kind;
        }
    }
    return std::nullopt;
}

std::string quota_met_message(Kind kind) {
    return "Quota has been met for resources: " + std::string(display_name_of(kind));
}

}  // namespace octane::model
