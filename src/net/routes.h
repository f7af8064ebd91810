#pragma once

// Routes and policy rules of a namespace, as the L3 agent and the amphora's table-1 routing use
// them (`ip route replace ...`, `ip rule add from <vip> table 1`).

#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace octane::net {

struct Route {
    std::string destination;   // "default" or "a.b.c.d/n" (IPv6 alike)
    std::string gateway;       // "" = none
    std::string device;        // "" = none; required for onlink and for a route without gateway
    bool unreachable = false;  // type unreachable: neither device nor gateway
    bool onlink = false;       // gateway reachable on device even outside its subnets
    uint32_t metric = 0;
    uint32_t table = 254;  // main
    std::string source;    // preferred source address, "" = none

    bool operator==(const Route&) const = default;
};

// Replaces the route with the same destination, table and metric if there is one.
Result<void> add_route(const std::string& ns, const Route& route);
// Missing (or gone with its device) is success.
Result<void> delete_route(const std::string& ns, const Route& route);
Result<std::vector<Route>> list_routes(const std::string& ns, uint32_t table = 254);

// "from <cidr> lookup <table> priority <priority>"; already present is success.
Result<void> add_rule(const std::string& ns, const std::string& from_cidr, uint32_t table,
                      uint32_t priority);

struct PolicyRule {
    std::string from;  // "a.b.c.d/n", or "all"
    uint32_t table = 0;
    uint32_t priority = 0;

    bool operator==(const PolicyRule&) const = default;
};
// Missing is success.
Result<void> delete_rule(const std::string& ns, const std::string& from_cidr, uint32_t table,
                         uint32_t priority);
// Rules of both families that look up a table (the kernel's defaults included).
Result<std::vector<PolicyRule>> list_rules(const std::string& ns);

// Why route cannot be sent as given ("" when it can): checked before any request.
std::string route_problem(const Route& route);

}  // namespace octane::net
