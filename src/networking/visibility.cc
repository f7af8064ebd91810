#include "networking/visibility.h"

namespace octane::networking {

bool writable_by(const drivers::NetworkCaller& caller, const nlohmann::json& object) {
    return caller.admin ||
           (caller.project_id && object.value("project_id", "") == *caller.project_id);
}

bool visible_to(const drivers::NetworkCaller& caller, NetKind kind, const nlohmann::json& object,
                const nlohmann::json* network) {
    if (writable_by(caller, object)) {
        return true;
    }
    switch (kind) {
        case NetKind::kNetwork:
            return object.value("shared", false) || object.value("router:external", false);
        case NetKind::kSubnet:
            return network != nullptr && network->value("shared", false);
        case NetKind::kPort:
        case NetKind::kFloatingIp:
        case NetKind::kRouter:
            return false;
    }
    return false;
}

bool visible_in(NetworkStore& store, const drivers::NetworkCaller& caller, NetKind kind,
                const nlohmann::json& object) {
    std::optional<nlohmann::json> network;
    if (kind == NetKind::kSubnet && !caller.admin) {
        if (auto parent = store.get(NetKind::kNetwork, object["network_id"].get<std::string>())) {
            network = std::move(*parent);
        }
    }
    return visible_to(caller, kind, object, network ? &*network : nullptr);
}

}  // namespace octane::networking
