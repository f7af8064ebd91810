#pragma once

// Octavia's per-project quotas as pure rules: which limit applies to a kind of object and whether
// a create would exceed it. The API counts the objects in use inside the same transaction as the
// insert (api/v2/quota_check.cc); these functions only decide.
//
// Rejected: Octavia's in_use_* counters stored in the quota row. They drift when a delete flow
// dies half-way; counting the rows that are not DELETED (PENDING_DELETE included, as Octavia
// decrements only when the delete flow finishes) gives the same answer and cannot drift.

#include <array>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/resource_kind.h"

namespace octane::model {

inline constexpr int64_t kQuotaUnlimited = -1;
inline constexpr int64_t kQuotaMax = 2000000000;

// The configured defaults ([quotas] default_<resource>_quota); Octavia ships -1 = unlimited.
class QuotaDefaults {
  public:
    int64_t of(Kind kind) const { return limits_[static_cast<size_t>(kind)]; }
    void set(Kind kind, int64_t limit) { limits_[static_cast<size_t>(kind)] = limit; }

  private:
    std::array<int64_t, std::size(kAllKinds)> limits_ = {-1, -1, -1, -1, -1, -1, -1};
};

// The key of a kind in quota bodies and rows: loadbalancer, listener, pool, member,
// healthmonitor, l7policy, l7rule.
std::string_view quota_key(Kind kind);

// The octavia.conf option of a kind's default, in section [quotas]: default_load_balancer_quota,
// default_listener_quota, ..., default_health_monitor_quota, default_l7policy_quota.
std::string_view quota_default_option(Kind kind);

// The limit that applies to kind: the project's stored value when it is an integer (either
// spelling, loadbalancer/load_balancer, healthmonitor/health_monitor), else the default.
// stored may be null or any JSON (a missing or unreadable row means "defaults").
int64_t effective_quota(const nlohmann::json& stored, Kind kind, const QuotaDefaults& defaults);

// One kind a request wants to add objects of.
struct QuotaDemand {
    Kind kind;
    int64_t limit;   // effective_quota()
    int64_t in_use;  // the project's objects of that kind, not DELETED, before this request
    int64_t adding;  // how many this request adds (net; <= 0 never exceeds)
};

// True when adding would take in_use past limit (Octavia: in_use + count > quota, unless -1).
bool quota_exceeded(const QuotaDemand& demand);

// The first demand, in the order given, that would be exceeded.
std::optional<Kind> first_exceeded(const std::vector<QuotaDemand>& demands);

// Octavia's QuotaException text: "Quota has been met for resources: Health Monitor".
std::string quota_met_message(Kind kind);

}  // namespace octane::model
