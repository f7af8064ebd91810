#include "net/routes.h"

namespace octane::net {

std::string route_problem(const Route& route) {
    if (route.destination.empty()) {
        return "route needs a destination";
    }
    if (route.unreachable) {
        if (!route.gateway.empty() || !route.device.empty() || route.onlink) {
            return "an unreachable route has no gateway, device or onlink";
        }
        return "";
    }
    if (route.gateway.empty() && route.device.empty()) {
        return "route needs a gateway or a device";
    }
    if (route.onlink && (route.device.empty() || route.gateway.empty())) {
        return "an onlink route needs both a gateway and a device";
    }
    return "";
}

}  // namespace octane::net
