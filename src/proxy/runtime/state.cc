#include "proxy/runtime/state.h"

#include <algorithm>
#include <ctime>

#include "proxy/tls/tls_context.h"

namespace octane::proxy {
namespace {

// Compiles the L7 lines of a section (already validated by `-c`). use-service lines are kept
// apart: the proxy answers them itself.
std::unique_ptr<http::L7Rules> compile_rules(const config::ProxySection& p, FrontendState* fe) {
    auto rules = std::make_unique<http::L7Rules>();
    for (const auto& line : p.l7_lines) {
        if (line.words.size() > 1 && line.words[0] == "http-request" &&
            line.words[1] == "use-service") {
            if (fe != nullptr) {
                fe->has_metrics_service = true;
                auto it = std::find(line.words.begin(), line.words.end(), "if");
                if (it == line.words.end()) {
                    it = std::find(line.words.begin(), line.words.end(), "unless");
                }
                if (it != line.words.end()) {
                    std::vector<std::string> cond(it, line.words.end());
                    auto c = http::Condition::parse(cond, fe->metrics_acls);
                    if (c) {
                        fe->metrics_cond = std::move(*c);
                    }
                }
            }
            continue;
        }
        (void)rules->add_line(line.words);
    }
    return rules;
}

}  // namespace

ServerState* BackendState::pick(const balance::PickContext& ctx, const std::string* stick_key) {
    std::lock_guard<std::mutex> lock(mu);
    int id = -1;
    if (stick && stick_key != nullptr) {
        int stuck = stick->lookup(*stick_key);
        // Persistence survives drain (weight 0) but not a down or avoided server.
        if (stuck >= 0 && lb->is_up(stuck) && stuck != ctx.avoid) {
            id = stuck;
        }
    }
    if (id < 0) {
        auto picked = lb->pick(ctx);
        if (!picked) {
            return nullptr;
        }
        id = *picked;
        if (stick && stick_key != nullptr) {
            stick->store(*stick_key, id);
            if (stick_stored) {
                stick_stored(*stick_key, id);
            }
        }
    }
    lb->take(id);
    ServerState* s = servers[id].get();
    Counters::add(s->counters.lbtot, 1);
    Counters::add(counters.lbtot, 1);
    return s;
}

ServerState* BackendState::take_specific(ServerState* s) {
    std::lock_guard<std::mutex> lock(mu);
    if (s == nullptr || !lb->is_up(s->id)) {
        return nullptr;
    }
    lb->take(s->id);
    return s;
}

ServerState* BackendState::by_cookie(std::string_view value) {
    for (auto& s : servers) {
        if (!s->cfg->cookie.empty() && s->cfg->cookie == value) {
            return s.get();
        }
    }
    return nullptr;
}

ServerState* BackendState::take_by_stick_cookie(const std::string& value) {
    std::lock_guard<std::mutex> lock(mu);
    int id = cookie_stick ? cookie_stick->lookup(value) : -1;
    if (id < 0 || !lb->is_up(id)) {
        return nullptr;
    }
    lb->take(id);
    return servers[id].get();
}

void BackendState::store_stick_cookie(const std::string& value, ServerState* s) {
    std::lock_guard<std::mutex> lock(mu);
    if (cookie_stick) {
        cookie_stick->store(value, s->id);
        if (stick_stored && !stick) {
            stick_stored(value, s->id);
        }
    }
}

void BackendState::release(ServerState* s) {
    std::lock_guard<std::mutex> lock(mu);
    lb->release(s->id);
}

void BackendState::set_server_up(ServerState* s, bool up, int64_t now_unix) {
    std::lock_guard<std::mutex> lock(mu);
    lb->set_up(s->id, up);
    s->status.store(up ? ServerStatus::kUp : ServerStatus::kDown);
    s->last_change.store(now_unix);
    if (!up) {
        s->chkdown.fetch_add(1);
    }
    last_change.store(now_unix);
}

void BackendState::set_server_weight(ServerState* s, int weight) {
    std::lock_guard<std::mutex> lock(mu);
    lb->set_weight(s->id, weight);
    s->weight.store(weight);
}

int BackendState::active_up() const {
    int n = 0;
    for (const auto& s : servers) {
        n += !s->cfg->backup && s->status.load() == ServerStatus::kUp;
    }
    return n;
}

int BackendState::backup_up() const {
    int n = 0;
    for (const auto& s : servers) {
        n += s->cfg->backup && s->status.load() == ServerStatus::kUp;
    }
    return n;
}

int BackendState::total_weight_up() const {
    // HAProxy reports the weight of the servers in use: active ones, or backups when none.
    int active = 0, backup = 0;
    for (const auto& s : servers) {
        if (s->status.load() != ServerStatus::kUp) {
            continue;
        }
        (s->cfg->backup ? backup : active) += s->weight.load();
    }
    return active > 0 ? active : backup;
}

Snapshot::~Snapshot() = default;

std::unique_ptr<Snapshot> build_snapshot(config::Config cfg, int maxconn) {
    auto snap = std::make_unique<Snapshot>();
    snap->config = std::move(cfg);
    snap->maxconn = maxconn;
    snap->nbthread = snap->config.global.nbthread;
    snap->start_unix = time(nullptr);
    int iid = 1;
    for (const auto& p : snap->config.proxies) {
        if (p.has_frontend()) {
            auto fe = std::make_unique<FrontendState>();
            fe->cfg = &p;
            fe->iid = iid;
            fe->maxconn = p.maxconn > 0 ? std::min(p.maxconn, maxconn) : maxconn;
            fe->rules = compile_rules(p, fe.get());
            snap->frontends.push_back(std::move(fe));
        }
        if (p.has_backend()) {
            auto be = std::make_unique<BackendState>();
            be->cfg = &p;
            be->iid = iid;
            be->last_change.store(snap->start_unix);
            std::vector<balance::ServerSpec> specs;
            int puid = 1;
            for (const auto& sl : p.servers) {
                auto s = std::make_unique<ServerState>();
                s->cfg = &sl;
                s->id = static_cast<int>(be->servers.size());
                s->puid = puid++;
                s->status.store(sl.disabled ? ServerStatus::kMaint : ServerStatus::kUp);
                s->last_change.store(snap->start_unix);
                s->check_health.store(sl.rise);
                s->weight.store(sl.weight);
                specs.push_back(balance::ServerSpec{sl.weight, sl.backup, sl.maxconn});
                be->servers.push_back(std::move(s));
            }
            be->lb = balance::make_balancer(p.balance, p.hash_type, std::move(specs), p.allbackups);
            for (const auto& s : be->servers) {
                be->lb->set_up(s->id, s->status.load() == ServerStatus::kUp);
            }
            for (const auto& r : p.stick_rules) {
                auto cookie_name = [&r](const char* prefix) {
                    return r.fetch.rfind(prefix, 0) == 0
                               ? r.fetch.substr(9, r.fetch.size() - 10)  // "req.cook(" is 9 chars
                               : std::string();
                };
                if (r.kind == config::StickKind::kMatch || r.kind == config::StickKind::kOn) {
                    if (auto n = cookie_name("req.cook("); !n.empty()) {
                        be->stick_cookie_match = n;
                    }
                }
                if (r.kind == config::StickKind::kStoreResponse) {
                    if (auto n = cookie_name("res.cook("); !n.empty()) {
                        be->stick_cookie_store = n;
                    }
                }
                if (r.fetch == "src" && r.kind != config::StickKind::kStoreResponse) {
                    be->stick = std::make_unique<StickTable>(
                        static_cast<size_t>(p.stick_table.size > 0 ? p.stick_table.size : 1024));
                }
            }
            if (!be->stick_cookie_match.empty() || !be->stick_cookie_store.empty()) {
                be->cookie_stick = std::make_unique<StickTable>(
                    static_cast<size_t>(p.stick_table.size > 0 ? p.stick_table.size : 1024));
            }
            be->rules = compile_rules(p, nullptr);
            snap->backend_by_name[p.name] = be.get();
            snap->backends.push_back(std::move(be));
        }
        ++iid;
    }
    for (auto& fe : snap->frontends) {
        const auto& p = *fe->cfg;
        if (p.kind == config::SectionKind::kListen) {
            fe->default_backend = snap->backend_by_name[p.name];
        } else if (!p.default_backend.empty()) {
            fe->default_backend = snap->backend_by_name[p.default_backend];
        }
    }
    return snap;
}

}  // namespace octane::proxy
