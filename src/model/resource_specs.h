#pragma once

// The attribute tables of every Octavia v2 resource (docs/octavia-api.md §2).

#include "model/field_spec.h"

namespace octane::model {

const ResourceSpec& load_balancer_spec();
const ResourceSpec& listener_spec();
const ResourceSpec& pool_spec();
const ResourceSpec& member_spec();
const ResourceSpec& health_monitor_spec();
const ResourceSpec& l7policy_spec();
const ResourceSpec& l7rule_spec();
const ResourceSpec& quota_spec();
const ResourceSpec& flavor_spec();
const ResourceSpec& flavor_profile_spec();
const ResourceSpec& availability_zone_spec();
const ResourceSpec& availability_zone_profile_spec();

// Listener timeouts default from config in Octavia; these are its shipped defaults.
inline constexpr int64_t kDefaultTimeoutClientData = 50000;
inline constexpr int64_t kDefaultTimeoutMemberConnect = 5000;
inline constexpr int64_t kDefaultTimeoutMemberData = 50000;
inline constexpr int64_t kDefaultTimeoutTcpInspect = 0;
inline constexpr int64_t kMaxTimeout = 24LL * 60 * 60 * 1000;
inline constexpr int64_t kMaxL7PolicyPosition = 2147483647;

}  // namespace octane::model
