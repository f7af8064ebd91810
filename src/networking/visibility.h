#pragma once

// Neutron's read visibility, in one place for the Neutron API and for the load-balancer API's
// look-ups (Octavia validates VIP and member subnets with the user's own token, so a project
// cannot put a VIP on another project's private subnet or port). visible_to() is pure.

#include <nlohmann/json.hpp>

#include "drivers/network_driver.h"
#include "networking/network_store.h"

namespace octane::networking {

// True when caller may see object (of kind): admins see everything; others their own objects,
// networks that are shared or router:external, and subnets of shared networks (subnets of an
// external network stay hidden, as in Neutron). network is the object's network for a subnet
// (nullptr when unknown), unused for other kinds.
bool visible_to(const drivers::NetworkCaller& caller, NetKind kind, const nlohmann::json& object,
                const nlohmann::json* network);

// visible_to() with a subnet's network read from store.
bool visible_in(NetworkStore& store, const drivers::NetworkCaller& caller, NetKind kind,
                const nlohmann::json& object);

// True when caller may change object: admins and the owning project.
bool writable_by(const drivers::NetworkCaller& caller, const nlohmann::json& object);

}  // namespace octane::networking
