#include "proxy/peers/engine_binding.h"

#include "proxy/peers/table_key.h"

namespace octane::proxy::peers {

namespace {

StickTable* replicated_table(BackendState& be) {
    return be.stick ? be.stick.get() : be.cookie_stick.get();
}

}  // namespace

TableBinding bind_backend(BackendState& be, const TableDefinition& def) {
    TableBinding b;
    b.def = def;
    KeyType type = def.key_type;
    b.entries = [&be, type] {
        std::vector<Entry> out;
        std::lock_guard<std::mutex> lock(be.mu);
        for (const auto& [key, id] : replicated_table(be)->entries()) {
            auto wk = wire_key(type, key);
            if (wk && id >= 0 && static_cast<size_t>(id) < be.servers.size()) {
                const ServerState& s = *be.servers[id];
                out.push_back(Entry{*wk, s.puid, s.cfg->name});
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
            replicated_table(be)->store(*key, target->id);
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
        std::vector<BackendState*> backends;
        for (auto& be : snap.backends) {
            if (be->cfg->stick_table.peers != ps.name || replicated_table(*be) == nullptr) {
                continue;
            }
            auto def = definition_for(be->cfg->name, be->cfg->stick_table);
            if (def) {
                cfg.tables.push_back(bind_backend(*be, *def));
                backends.push_back(be.get());
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
            BackendState* be = backends[i];
            KeyType type = definition_for(be->cfg->name, be->cfg->stick_table)->key_type;
            be->stick_stored = [s, i, be, type](const std::string& key, int server) {
                auto wk = wire_key(type, key);
                if (wk) {
                    const ServerState& st = *be->servers[server];
                    s->publish(i, Entry{*wk, st.puid, st.cfg->name});
                }
            };
        }
        services.push_back(std::move(*svc));
    }
    return services;
}

}  // namespace octane::proxy::peers
