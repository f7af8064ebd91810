#pragma once

// The objects of a load balancer's tree, and where each lives in the database.

#include <string_view>

namespace octane::model {

enum class Kind { kLoadBalancer, kListener, kPool, kMember, kHealthMonitor, kL7Policy, kL7Rule };

inline constexpr Kind kAllKinds[] = {Kind::kLoadBalancer, Kind::kListener,      Kind::kPool,
                                     Kind::kMember,       Kind::kHealthMonitor, Kind::kL7Policy,
                                     Kind::kL7Rule};

constexpr std::string_view table_of(Kind kind) {
    switch (kind) {
        case Kind::kLoadBalancer:
            return "load_balancers";
        case Kind::kListener:
            return "listeners";
        case Kind::kPool:
            return "pools";
        case Kind::kMember:
            return "members";
        case Kind::kHealthMonitor:
            return "health_monitors";
        case Kind::kL7Policy:
            return "l7policies";
        case Kind::kL7Rule:
            return "l7rules";
    }
    return "";
}

// The name Octavia uses in faults ("Load Balancer <id> not found.").
constexpr std::string_view display_name_of(Kind kind) {
    switch (kind) {
        case Kind::kLoadBalancer:
            return "Load Balancer";
        case Kind::kListener:
            return "Listener";
        case Kind::kPool:
            return "Pool";
        case Kind::kMember:
            return "Member";
        case Kind::kHealthMonitor:
            return "Health Monitor";
        case Kind::kL7Policy:
            return "L7 Policy";
        case Kind::kL7Rule:
            return "L7 Rule";
    }
    return "";
}

}  // namespace octane::model
