#pragma once

// First start of the built-in networking: tenant network `selfservice` (shared, so every project
// can put VIPs and members on it) and external network `provider`, each with one IPv4 subnet.
// In the default `local` mode both CIDRs lie inside 127.0.0.0/8, so VIPs bind without root:
// selfservice 127.10.0.0/16 (gateway 127.10.0.1), provider 127.20.0.0/16 (gateway 127.20.0.1).
// With both networks made now, also the router `router` (gateway on provider, which takes the
// first provider address, and an interface on selfservice at its gateway 127.10.0.1), so
// floating IPs of provider reach selfservice ports. Networks that already exist (by name) are
// left alone, and no router is made for them (one deleted on purpose stays deleted).

#include <string>

#include "networking/network_store.h"

namespace octane::networking {

struct NetworkBootstrap {
    std::string selfservice_cidr = "127.10.0.0/16";
    std::string provider_cidr = "127.20.0.0/16";
};

Result<void> bootstrap_networks(NetworkStore& store, const std::string& admin_project,
                                const NetworkBootstrap& options);

}  // namespace octane::networking
