#include "drivers/vrrp_takeover.h"

namespace octane::drivers {

using nlohmann::json;

namespace {

bool names_allocated(const json& graph, const std::string& amphora_id, const char* role) {
    for (const auto& amphora : graph.value("amphorae", json::array())) {
        if (amphora.value("id", "") == amphora_id && amphora.value("status", "") == "ALLOCATED" &&
            (role == nullptr || amphora.value("role", "") == role)) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::optional<std::string> takeover_peer(const VrrpGraphs& graphs, const std::string& lost) {
    for (const auto& [id, graph] : graphs) {
        if (id != lost && names_allocated(graph, lost, "MASTER") &&
            names_allocated(graph, id, nullptr)) {
            return id;
        }
    }
    return std::nullopt;
}

json takeover_graph(json graph) {
    graph["vrrp_takeover"] = true;
    return graph;
}

}  // namespace octane::drivers
