#include "metrics/request_labels.h"

#include <array>
#include <utility>

namespace octane::metrics {
namespace {

bool under(std::string_view path, std::string_view prefix) {
    return path.substr(0, prefix.size()) == prefix &&
           (path.size() == prefix.size() || path[prefix.size()] == '/');
}

}  // namespace

std::string_view surface_of(std::string_view path) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kPrefixes{{
        {"/v2", "load-balancer"},
        {"/v2.0", "load-balancer"},
        {"/identity", "identity"},
        {"/v3", "identity"},
        {"/networking", "networking"},
        {"/key-manager", "key-manager"},
    }};
    if (path.empty() || path == "/") {
        return "versions";
    }
    for (const auto& [prefix, surface] : kPrefixes) {
        if (under(path, prefix)) {
            return surface;
        }
    }
    return "other";
}

std::string_view method_label(std::string_view method) {
    for (std::string_view known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}) {
        if (method == known) {
            return known;
        }
    }
    return "OTHER";
}

std::string_view flow_label(std::string_view provisioning_status) {
    if (provisioning_status == "PENDING_CREATE") {
        return "create";
    }
    if (provisioning_status == "PENDING_UPDATE") {
        return "update";
    }
    if (provisioning_status == "PENDING_DELETE") {
        return "delete";
    }
    return "other";
}

}  // namespace octane::metrics
