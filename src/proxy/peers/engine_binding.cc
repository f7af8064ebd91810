#include "proxy/peers/engine_binding.h"

#include <optional>
#include <utility>

#include "proxy/peers/table_key.h"

namespace octane::proxy::peers {

namespace {

// The entry a peer is told of: the key on the wire, with the server's puid and name.
std::optional<Entry> entry_of(const BackendState& be, KeyType type, const std::string& key,
                              int server) {
    auto wk = wire_key(type, key);
    if (!wk || server < 0 || static_cast<size_t>(server) >= be.servers.size()) {
        return std::nullopt;
    }
    const ServerState& s = *be.servers[static_cast<size_t>(server)];
    return Entry{*wk, s.puid, s.cfg->name};
}

}  // namespace

TableBinding bind_backend(BackendState& be, const TableDefinition& def) {
    TableBinding b;
    b.def = def;
    KeyType type = def.key_type;
    b.entries = [&be, type] {
        std::vector<Entry> out;
        std::lock_guard<std::mutex> lock(be.mu);
        for (const auto& [key, id] : be.stick_table()->entries()) {
            if (auto e = entry_of(be, type, key, id)) {
                out.push_back(std::move(*e));
            }
        }
        return out;
    };
    b.learn = [&be, type](const Entry& e) {
        auto key = engine_key(type, e.key);
        if (!key) {
            return;
        }
        // HAProxy 2.6 maps an entry by its server_key (the server's name) first, then its id.
        const ServerState* target = nullptr;
        for (const auto& s : be.servers) {
            if (e.server_key && s->cfg->name == *e.server_key) {
                target = s.get();
            }
        }
        for (const auto& s : be.servers) {
            if (target == nullptr && e.server_id && s->puid == *e.server_id) {
                target = s.get();
            }
        }
        if (target != nullptr) {
            std::lock_guard<std::mutex> lock(be.mu);
            be.stick_table()->store(*key, target->id);
        }
    };
    return b;
}

std::vector<std::unique_ptr<Service>> open_services(
    Snapshot& snap, const std::string& local_name,
    const std::function<int(const std::string&)>& take_inherited,
    std::vector<std::string>& warnings) {
    std::vector<std::unique_ptr<Service>> services;
    for (const config::PeersSection& ps : snap.config.peers) {
        ServiceConfig cfg;
        cfg.section = ps.name;
        cfg.local_name = local_name;
        bool found = false;
        for (const config::PeerLine& p : ps.peers) {
            if (p.name == local_name) {
                cfg.local = p.endpoint;
                found = true;
            } else {
                cfg.remotes.emplace_back(p.name, p.endpoint);
            }
        }
        std::vector<std::pair<BackendState*, KeyType>> backends;  // in cfg.tables' order
        for (auto& be : snap.backends) {
            if (be->cfg->stick_table.peers != ps.name || be->stick_table() == nullptr) {
                continue;
            }
            auto def = definition_for(be->cfg->name, be->cfg->stick_table);
            if (def) {
                cfg.tables.push_back(bind_backend(*be, *def));
                backends.emplace_back(be.get(), def->key_type);
            }
        }
        if (!found) {
            if (!backends.empty()) {
                warnings.push_back("peers '" + ps.name + "' has no peer named '" + local_name +
                                   "' (-L): its stick tables stay local");
            }
            continue;
        }
        cfg.inherited_fd = take_inherited("peers:" + cfg.local.to_string());
        auto svc = Service::open(std::move(cfg));
        if (!svc) {
            // Replication is worth less than the traffic: the engine serves with local tables.
            warnings.push_back(svc.error().message + ": its stick tables stay local");
            continue;
        }
        Service* s = svc->get();
        for (size_t i = 0; i < backends.size(); ++i) {
            // Plain names, not a structured binding: clang 14 cannot capture those.
            BackendState* be = backends[i].first;
            KeyType type = backends[i].second;
            be->stick_stored = [s, i, be, type](const std::string& key, int server) {
                if (auto e = entry_of(*be, type, key, server)) {
                    s->publish(i, std::move(*e));
                }
            };
        }
        services.push_back(std::move(*svc));
    }
    return services;
}

}  // namespace octane::proxy::peers
