#include "api/views.h"

#include <algorithm>
#include <set>

#include "model/resource_specs.h"
#include "model/statuses.h"

namespace octane::api {
namespace {

using model::Kind;
using nlohmann::json;

const model::ResourceSpec& spec_of(Kind kind) {
    switch (kind) {
        case Kind::kLoadBalancer:
            return model::load_balancer_spec();
        case Kind::kListener:
            return model::listener_spec();
        case Kind::kPool:
            return model::pool_spec();
        case Kind::kMember:
            return model::member_spec();
        case Kind::kHealthMonitor:
            return model::health_monitor_spec();
        case Kind::kL7Policy:
            return model::l7policy_spec();
        case Kind::kL7Rule:
            return model::l7rule_spec();
    }
    return model::load_balancer_spec();
}

std::map<std::string, Column> build_columns(Kind kind) {
    std::map<std::string, Column> columns = {
        {"id", {"id"}},
        {"project_id", {"project_id"}},
        {"tenant_id", {"project_id"}},
        {"provisioning_status", {"provisioning_status"}},
        {"operating_status", {"operating_status"}},
        {"created_at", {"created_at"}},
        {"updated_at", {"updated_at"}},
    };
    for (const auto& f : spec_of(kind).fields) {
        if (!f.stored || columns.count(f.name)) {
            continue;
        }
        Column c{"json_extract(attrs, '$." + f.name + "')"};
        if (f.type == model::FieldType::kBool) {
            c.type = Column::Type::kBool;
        } else if (f.type == model::FieldType::kInt) {
            // Numbers sort as numbers on PostgreSQL too, whose json_extract gives text.
            c.sql = "CAST(" + c.sql + " AS BIGINT)";
            c.type = Column::Type::kInt;
        }
        columns[f.name] = c;
    }
    switch (kind) {
        case Kind::kListener:
        case Kind::kPool:
            columns["loadbalancer_id"] = {"load_balancer_id"};
            columns["load_balancer_id"] = {"load_balancer_id"};
            columns.erase("listener_id");
            break;
        case Kind::kHealthMonitor:
            columns["pool_id"] = {"parent_id"};
            break;
        case Kind::kL7Policy:
            columns["listener_id"] = {"parent_id"};
            break;
        default:
            break;
    }
    return columns;
}

json ids(const std::vector<std::string>& values) {
    json out = json::array();
    for (const auto& v : values) {
        out.push_back({{"id", v}});
    }
    return out;
}

// Listeners using a pool: as default pool, or through an enabled L7 redirect policy with rules.
Result<void> pool_listeners(db::ObjectStore& store, const std::vector<db::TreeObject>& pools,
                            std::map<std::string, json>& out) {
    std::set<std::string> lbs;
    for (const auto& p : pools) {
        lbs.insert(p.load_balancer_id);
    }
    for (const auto& lb : lbs) {
        auto listeners = store.by_load_balancer(Kind::kListener, lb);
        auto policies = store.by_load_balancer(Kind::kL7Policy, lb);
        auto rules = store.by_load_balancer(Kind::kL7Rule, lb);
        if (!listeners || !policies || !rules) {
            return make_error("cannot read listeners");
        }
        std::map<std::string, std::vector<std::string>> users;
        for (const auto& l : *listeners) {
            const json pool = l.attrs.value("default_pool_id", json());
            if (pool.is_string()) {
                users[pool.get<std::string>()].push_back(l.id);
            }
        }
        std::set<std::string> with_rules;
        for (const auto& r : *rules) {
            with_rules.insert(r.parent_id);
        }
        for (const auto& p : *policies) {
            const json pool = p.attrs.value("redirect_pool_id", json());
            if (pool.is_string() && p.attrs.value("admin_state_up", true) &&
                with_rules.count(p.id)) {
                auto& list = users[pool.get<std::string>()];
                if (std::find(list.begin(), list.end(), p.parent_id) == list.end()) {
                    list.push_back(p.parent_id);
                }
            }
        }
        for (const auto& p : pools) {
            if (p.load_balancer_id == lb) {
                out[p.id]["listeners"] = ids(users[p.id]);
            }
        }
    }
    return {};
}

Result<std::map<std::string, std::vector<std::string>>> children_by_parent(
    db::ObjectStore& store, Kind child, const std::vector<db::TreeObject>& parents, bool by_lb) {
    std::map<std::string, std::vector<std::string>> out;
    std::vector<std::string> parent_ids;
    for (const auto& p : parents) {
        parent_ids.push_back(p.id);
    }
    std::string column = by_lb ? "load_balancer_id" : "parent_id";
    if (by_lb && child != Kind::kListener && child != Kind::kPool) {
        column = "parent_id";
    }
    auto pairs = store.child_ids(child, column, parent_ids);
    if (!pairs) {
        return Unexpected(pairs.error());
    }
    for (auto& [parent, id] : *pairs) {
        out[parent].push_back(std::move(id));
    }
    return out;
}

}  // namespace

const std::map<std::string, Column>& columns_for(Kind kind) {
    static const std::map<Kind, std::map<std::string, Column>> all = [] {
        std::map<Kind, std::map<std::string, Column>> m;
        for (Kind k : model::kAllKinds) {
            m[k] = build_columns(k);
        }
        return m;
    }();
    return all.at(kind);
}

Result<std::map<std::string, json>> relations_for(db::ObjectStore& store, Kind kind,
                                                  const std::vector<db::TreeObject>& objects) {
    std::map<std::string, json> out;
    for (const auto& o : objects) {
        out[o.id] = json::object();
    }
    auto attach = [&](Kind child, const char* key, bool by_lb) -> Result<void> {
        auto children = children_by_parent(store, child, objects, by_lb);
        if (!children) {
            return Unexpected(children.error());
        }
        for (const auto& o : objects) {
            out[o.id][key] = ids((*children)[o.id]);
        }
        return {};
    };
    Result<void> done;
    switch (kind) {
        case Kind::kLoadBalancer:
            done = attach(Kind::kListener, "listeners", true);
            if (done) {
                done = attach(Kind::kPool, "pools", true);
            }
            break;
        case Kind::kListener:
            for (const auto& o : objects) {
                out[o.id]["loadbalancers"] = ids({o.load_balancer_id});
            }
            done = attach(Kind::kL7Policy, "l7policies", false);
            break;
        case Kind::kPool: {
            for (const auto& o : objects) {
                out[o.id]["loadbalancers"] = ids({o.load_balancer_id});
            }
            done = attach(Kind::kMember, "members", false);
            if (done) {
                auto monitors = children_by_parent(store, Kind::kHealthMonitor, objects, false);
                if (!monitors) {
                    return Unexpected(monitors.error());
                }
                for (const auto& o : objects) {
                    const auto& list = (*monitors)[o.id];
                    out[o.id]["healthmonitor_id"] = list.empty() ? json(nullptr) : json(list[0]);
                }
                done = pool_listeners(store, objects, out);
            }
            break;
        }
        case Kind::kHealthMonitor:
            for (const auto& o : objects) {
                out[o.id]["pools"] = ids({o.parent_id});
            }
            break;
        case Kind::kL7Policy:
            for (const auto& o : objects) {
                out[o.id]["listener_id"] = o.parent_id;
            }
            done = attach(Kind::kL7Rule, "rules", false);
            break;
        case Kind::kMember:
        case Kind::kL7Rule:
            break;
    }
    if (!done) {
        return Unexpected(done.error());
    }
    return out;
}

json render(Kind kind, const db::TreeObject& o, const json& relations) {
    (void)kind;
    json out = o.attrs;
    out["id"] = o.id;
    out["project_id"] = o.project_id;
    out["tenant_id"] = o.project_id;
    out["provisioning_status"] = o.provisioning_status;
    out["operating_status"] = o.operating_status;
    out["created_at"] = o.created_at;
    out["updated_at"] = o.updated_at ? json(*o.updated_at) : json(nullptr);
    for (const auto& [key, value] : relations.items()) {
        out[key] = value;
    }
    return out;
}

std::string render_text(Kind kind, const db::Row& row, const json& relations) {
    (void)kind;
    // Columns as in ObjectStore::columns(): id, project, lb, parent, prov, oper, created, updated,
    // attrs.
    std::string out = "{\"id\": " + json(row.text(0)).dump();
    std::string project = json(row.text(1)).dump();
    out += ", \"project_id\": " + project + ", \"tenant_id\": " + project;
    out += ", \"provisioning_status\": \"" + row.text(4) + "\"";
    out += ", \"operating_status\": \"" + row.text(5) + "\"";
    out += ", \"created_at\": \"" + row.text(6) + "\"";
    out +=
        ", \"updated_at\": " + (row.is_null(7) ? std::string("null") : "\"" + row.text(7) + "\"");
    for (const auto& [key, value] : relations.items()) {
        out += ", \"" + key + "\": " + value.dump();
    }
    std::string attrs = row.text(8);
    if (attrs.size() > 2) {
        out += ", ";
        out.append(attrs, 1, std::string::npos);
    } else {
        out += "}";
    }
    return out;
}

json select_fields(const json& object, const std::vector<std::string>& fields) {
    if (fields.empty()) {
        return object;
    }
    json out = json::object();
    for (const auto& f : fields) {
        auto it = object.find(f);
        if (it != object.end()) {
            out[f] = *it;
        }
    }
    return out;
}

}  // namespace octane::api
