#include "drivers/vrrp_graph_store.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "common/file_util.h"
#include "common/private_dir.h"

namespace octane::drivers {

namespace fs = std::filesystem;
using nlohmann::json;

std::string VrrpGraphStore::path_of(const std::string& amphora_id) const {
    return dir_ + "/" + amphora_id + ".json";
}

Result<void> VrrpGraphStore::save(const std::string& amphora_id,
                                  const StoredVrrpGraph& stored) const {
    if (auto made = ensure_private_dir(dir_); !made) {
        return made;
    }
    json doc = {{"graph", stored.graph},
                {"compute_id", stored.compute_id},
                {"lb_network_ip", stored.lb_network_ip}};
    return write_file_atomic(path_of(amphora_id), doc.dump(), 0600);
}

void VrrpGraphStore::forget(const std::string& amphora_id) const {
    std::error_code ec;
    fs::remove(path_of(amphora_id), ec);
}

std::map<std::string, StoredVrrpGraph> VrrpGraphStore::load_all() const {
    std::map<std::string, StoredVrrpGraph> found;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec)) {
        if (entry.path().extension() != ".json") {
            continue;  // a temporary file of an interrupted save
        }
        std::ifstream in(entry.path());
        std::stringstream text;
        text << in.rdbuf();
        json doc = json::parse(text.str(), nullptr, false);
        if (!doc.is_object() || !doc.contains("graph") ||
            !doc.value("compute_id", json()).is_string()) {
            spdlog::warn("VRRP graph {} unreadable, skipped", entry.path().string());
            continue;
        }
        found[entry.path().stem().string()] = {doc["graph"], doc["compute_id"].get<std::string>(),
                                               doc.value("lb_network_ip", "")};
    }
    return found;
}

}  // namespace octane::drivers
