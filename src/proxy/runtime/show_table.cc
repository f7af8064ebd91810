#include "proxy/runtime/show_table.h"

namespace octane::proxy {

std::string render_show_table(Snapshot& snap, const std::string& name) {
    std::string out;
    for (auto& be : snap.backends) {
        StickTable* t = be->stick_table();
        if (t == nullptr || (!name.empty() && be->cfg->name != name)) {
            continue;
        }
        std::lock_guard<std::mutex> lock(be->mu);
        const config::StickTable& c = be->cfg->stick_table;
        out += "# table: " + be->cfg->name + ", type: " + c.type +
               ", size:" + std::to_string(c.size) + ", used:" + std::to_string(t->size()) + "\n";
        if (name.empty()) {
            continue;
        }
        for (const auto& [key, id] : t->entries()) {
            const ServerState& s = *be->servers[static_cast<size_t>(id)];
            out += "0x0: key=" + key + " use=0 exp=0 server_id=" + std::to_string(s.puid) +
                   " server_key=" + s.cfg->name + "\n";
        }
    }
    return out + "\n";
}

}  // namespace octane::proxy
