// Flavors, flavor profiles, availability zones and their profiles: admin-managed catalog rows
// (not part of a load balancer tree, no provisioning status).

#include <map>

#include "api/v2/resources.h"
#include "api/v2/support.h"
#include "api/views.h"
#include "common/uuid.h"
#include "db/catalog_repository.h"
#include "model/field_validation.h"
#include "model/resource_specs.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

constexpr const char* kNilUuid = "00000000-0000-0000-0000-000000000000";

struct Catalog {
    const model::ResourceSpec& spec;
    db::CatalogTable table;
    std::string display;                     // "Flavor"
    bool keyed_by_name;                      // availability zones are addressed by name
    Rule read_rule;                          // flavors/AZs: read; profiles: admin
    std::optional<db::CatalogTable> parent;  // the profile a row references, if any
    std::string parent_field;
    std::string parent_display;
};

const Catalog& flavors() {
    static const Catalog c{model::flavor_spec(),
                           db::CatalogTable::kFlavors,
                           "Flavor",
                           false,
                           Rule::kRead,
                           db::CatalogTable::kFlavorProfiles,
                           "flavor_profile_id",
                           "Flavor profile"};
    return c;
}
const Catalog& flavor_profiles() {
    static const Catalog c{model::flavor_profile_spec(),
                           db::CatalogTable::kFlavorProfiles,
                           "Flavor profile",
                           false,
                           Rule::kAdmin,
                           std::nullopt,
                           "",
                           ""};
    return c;
}
const Catalog& zones() {
    static const Catalog c{model::availability_zone_spec(),
                           db::CatalogTable::kAvailabilityZones,
                           "Availability Zone",
                           true,
                           Rule::kRead,
                           db::CatalogTable::kAvailabilityZoneProfiles,
                           "availability_zone_profile_id",
                           "Availability Zone Profile"};
    return c;
}
const Catalog& zone_profiles() {
    static const Catalog c{model::availability_zone_profile_spec(),
                           db::CatalogTable::kAvailabilityZoneProfiles,
                           "Availability Zone Profile",
                           false,
                           Rule::kAdmin,
                           std::nullopt,
                           "",
                           ""};
    return c;
}

// Filter and sort keys of a catalog list: its attributes, plus the id and creation time that
// break ties.
std::map<std::string, Column> columns_of(const Catalog& c) {
    std::map<std::string, Column> columns = {{"id", {"id"}}, {"created_at", {"created_at"}}};
    for (const auto& f : c.spec.fields) {
        Column::Type type =
            f.type == model::FieldType::kBool ? Column::Type::kBool : Column::Type::kText;
        columns[f.name] = {"json_extract(attrs, '$." + f.name + "')", type};
    }
    return columns;
}

json render_row(const Catalog& c, const db::CatalogRow& row) {
    json out = row.attrs;
    if (!c.keyed_by_name) {
        out["id"] = row.id;
    }
    return out;
}

ApiResult<json> load_row(Call& call, const Catalog& c, const std::string& key) {
    if (key == kNilUuid) {
        return model::not_found(c.display, key);
    }
    auto row = db::CatalogRepository(call.api.db, c.table).get(key);
    if (!row) {
        return storage_error(row.error());
    }
    if (!*row) {
        return model::not_found(c.display, key);
    }
    return render_row(c, **row);
}

// The amphora provider's schemas for flavor and availability zone metadata.
ApiResult<void> check_provider_data(const Catalog& c, const json& attrs) {
    if (c.parent) {
        return {};
    }
    if (attrs.contains("provider_name") && attrs["provider_name"].is_string()) {
        std::string provider = attrs["provider_name"];
        if (provider != "amphora" && provider != "octavia") {
            return api_error(400, "Provider '" + provider + "' is not enabled.");
        }
    }
    const char* field =
        c.spec.wrapper == "flavorprofile" ? "flavor_data" : "availability_zone_data";
    if (!attrs.contains(field) || !attrs[field].is_string()) {
        return {};
    }
    json data = json::parse(attrs[field].get<std::string>(), nullptr, false);
    for (const auto& [key, value] : data.items()) {
        bool ok;
        if (key == "loadbalancer_topology") {
            ok = value == "SINGLE" || value == "ACTIVE_STANDBY";
        } else if (key == "sriov_vip" || key == "allow_member_sriov") {
            ok = value.is_boolean();
        } else if (key == "compute_flavor" || key == "amp_image_tag" || key == "compute_zone" ||
                   key == "management_network" || key == "volume_zone" || key == "volume_type" ||
                   key == "amp_network") {
            ok = value.is_string();
            bool known = c.spec.wrapper == "flavorprofile"
                             ? (key == "compute_flavor" || key == "amp_image_tag")
                             : (key != "compute_flavor" && key != "amp_image_tag");
            if (!known) {
                return model::unsupported_option("Additional properties are not allowed ('" + key +
                                                 "' was unexpected)");
            }
        } else if (key == "valid_vip_networks") {
            ok = value.is_array() && c.spec.wrapper != "flavorprofile";
        } else {
            return model::unsupported_option("Additional properties are not allowed ('" + key +
                                             "' was unexpected)");
        }
        if (!ok) {
            return model::unsupported_option(value.dump() + " is not valid for '" + key + "'");
        }
    }
    return {};
}

ApiResult<void> check_parent(Call& call, const Catalog& c, const json& attrs) {
    if (!c.parent) {
        return {};
    }
    auto found = db::CatalogRepository(call.api.db, *c.parent)
                     .exists(attrs[c.parent_field].get<std::string>());
    if (!found) {
        return storage_error(found.error());
    }
    if (!*found) {
        return api_error(
            400, c.parent_display + " " + attrs[c.parent_field].get<std::string>() + " not found.");
    }
    return {};
}

// Flavor and availability zone names are unique; profile names are not.
ApiResult<void> check_unique_name(Call& call, const Catalog& c, const json& attrs,
                                  const std::string& self) {
    if (!c.parent || !attrs.contains("name") || !attrs["name"].is_string()) {
        return {};
    }
    auto taken = db::CatalogRepository(call.api.db, c.table)
                     .name_taken(attrs["name"].get<std::string>(), self);
    if (!taken) {
        return storage_error(taken.error());
    }
    if (*taken) {
        return api_error(
            409, "A " + std::string(c.spec.wrapper == "flavor" ? "flavor" : "availability zone") +
                     " of " + attrs["name"].get<std::string>() + " already exists.");
    }
    return {};
}

// Which rows reference a profile or use a flavor / zone (those cannot change or go away).
ApiResult<bool> in_use(Call& call, const Catalog& c, const std::string& key) {
    auto used = db::CatalogRepository(call.api.db, c.table).in_use(key);
    if (!used) {
        return storage_error(used.error());
    }
    return *used;
}

// An admin's POST or PUT body, unwrapped and validated.
ApiResult<json> admin_fields(Call& call, const Catalog& c, model::Mode mode) {
    if (auto ok = authorize(call.context, Rule::kAdmin, call.context.project_id); !ok) {
        return Unexpected(ok.error());
    }
    auto body = parse_body(call);
    if (!body) {
        return Unexpected(body.error());
    }
    const auto& argument = mode == model::Mode::kPost ? c.spec.post_argument : c.spec.put_argument;
    auto given = model::unwrap(*body, c.spec.wrapper, argument);
    if (!given) {
        return Unexpected(given.error());
    }
    return model::validate_fields(c.spec, *given, mode, argument);
}

// The answer to a create or update: the row as stored once the transaction committed.
ApiResult<http::HttpResponse> changed_row(Call& call, const Catalog& c, const ApiResult<void>& done,
                                          const std::string& key, int status) {
    if (!done) {
        return Unexpected(done.error());
    }
    auto row = load_row(call, c, key);
    if (!row) {
        return Unexpected(row.error());
    }
    return json_response(status, {{c.spec.wrapper, *row}});
}

ApiResult<http::HttpResponse> list_rows(Call& call, const Catalog& c) {
    if (auto ok = authorize(call.context, c.read_rule, call.context.project_id); !ok) {
        return Unexpected(ok.error());
    }
    auto q = parse_list_query(call.request.query_params);
    if (!q) {
        return Unexpected(q.error());
    }
    auto sql = build_sql(*q, columns_of(c), "", {}, call.api.settings.pagination_max_limit);
    if (!sql) {
        return Unexpected(sql.error());
    }
    auto rows = db::CatalogRepository(call.api.db, c.table)
                    .list(sql->where, sql->order_by, sql->limit, sql->params);
    if (!rows) {
        return storage_error(rows.error());
    }
    json items = json::array();
    for (const auto& row : *rows) {
        items.push_back(select_fields(render_row(c, row), q->fields));
    }
    return json_response(200, {{c.spec.plural, items}, {c.spec.links_key, json::array()}});
}

ApiResult<http::HttpResponse> create_row(Call& call, const Catalog& c) {
    auto attrs = admin_fields(call, c, model::Mode::kPost);
    if (!attrs) {
        return Unexpected(attrs.error());
    }
    std::string key = c.keyed_by_name ? (*attrs)["name"].get<std::string>() : make_uuid();
    if (auto ok = check_provider_data(c, *attrs); !ok) {
        return Unexpected(ok.error());
    }
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        if (auto ok = check_parent(call, c, *attrs); !ok) {
            return ok;
        }
        if (c.keyed_by_name) {
            auto existing = db::CatalogRepository(call.api.db, c.table).exists(key);
            if (!existing) {
                return storage_error(existing.error());
            }
            if (*existing) {
                return api_error(409, "A availability zone of " + key + " already exists.");
            }
        }
        if (auto ok = check_unique_name(call, c, *attrs, key); !ok) {
            return ok;
        }

        auto inserted =
            db::CatalogRepository(call.api.db, c.table).insert({key, call.api.now(), *attrs});
        if (!inserted) {
            return storage_error(inserted.error());
        }
        return {};
    });
    return changed_row(call, c, done, key, 201);
}

ApiResult<http::HttpResponse> show_row(Call& call, const Catalog& c) {
    if (auto ok = authorize(call.context, c.read_rule, call.context.project_id); !ok) {
        return Unexpected(ok.error());
    }
    auto row = load_row(call, c, call.param("id"));
    if (!row) {
        return Unexpected(row.error());
    }
    auto q = parse_list_query(call.request.query_params);
    return json_response(
        200, {{c.spec.wrapper, select_fields(*row, q ? q->fields : std::vector<std::string>{})}});
}

// PUT /<collection>/{id} (admin): a profile in use keeps its provider and data.
ApiResult<http::HttpResponse> update_row(Call& call, const Catalog& c) {
    auto changes = admin_fields(call, c, model::Mode::kPut);
    if (!changes) {
        return Unexpected(changes.error());
    }
    std::string key = call.param("id");
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto row = load_row(call, c, key);
        if (!row) {
            return Unexpected(row.error());
        }
        bool profile = !c.parent;
        if (profile && (changes->contains("provider_name") || changes->contains("flavor_data") ||
                        changes->contains("availability_zone_data"))) {
            auto used = in_use(call, c, key);
            if (!used) {
                return Unexpected(used.error());
            }
            if (*used) {
                return api_error(409, c.display + " " + key + " is in use and cannot be modified.");
            }
        }
        json merged = *row;
        merged.erase("id");
        for (const auto& [k, v] : changes->items()) {
            merged[k] = v;
        }
        if (auto ok = check_unique_name(call, c, merged, key); !ok) {
            return ok;
        }
        if (auto ok = check_provider_data(c, merged); !ok) {
            return ok;
        }
        auto saved = db::CatalogRepository(call.api.db, c.table).set_attrs(key, merged);
        if (!saved) {
            return storage_error(saved.error());
        }
        return {};
    });
    return changed_row(call, c, done, key, 200);
}

// DELETE /<collection>/{id} (admin): not while in use.
ApiResult<http::HttpResponse> delete_row(Call& call, const Catalog& c) {
    if (auto ok = authorize(call.context, Rule::kAdmin, call.context.project_id); !ok) {
        return Unexpected(ok.error());
    }
    std::string key = call.param("id");
    auto done = in_transaction(call, [&]() -> ApiResult<void> {
        auto row = load_row(call, c, key);
        if (!row) {
            return Unexpected(row.error());
        }
        auto used = in_use(call, c, key);
        if (!used) {
            return Unexpected(used.error());
        }
        if (*used) {
            return api_error(409, c.display + " " + key + " is in use and cannot be modified.");
        }
        auto removed = db::CatalogRepository(call.api.db, c.table).remove(key);
        if (!removed) {
            return storage_error(removed.error());
        }
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return empty_response(204);
}

// The five calls of one catalog collection, in Octavia's order.
void add_catalog(ApiRouter& router, const std::string& base, const Catalog& c) {
    using Fn = ApiResult<http::HttpResponse> (*)(Call&, const Catalog&);
    auto bound = [&c](Fn fn) { return [&c, fn](Call& call) { return fn(call, c); }; };
    router.add("GET", base, bound(list_rows));
    router.add("POST", base, bound(create_row));
    router.add("GET", base + "/{id}", bound(show_row));
    router.add("PUT", base + "/{id}", bound(update_row));
    router.add("DELETE", base + "/{id}", bound(delete_row));
}

}  // namespace

void add_flavor_routes(ApiRouter& router, const std::string& prefix) {
    add_catalog(router, prefix + "/flavors", flavors());
    add_catalog(router, prefix + "/flavorprofiles", flavor_profiles());
}

void add_availability_zone_routes(ApiRouter& router, const std::string& prefix) {
    add_catalog(router, prefix + "/availabilityzones", zones());
    add_catalog(router, prefix + "/availabilityzoneprofiles", zone_profiles());
}

}  // namespace octane::api::v2
