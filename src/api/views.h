#pragma once

// Response shapes of the tree resources: stored attributes plus the computed keys (ids, statuses,
// timestamps, tenant_id, and relations such as a load balancer's "listeners": [{"id": ...}]).

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/list_query.h"
#include "db/object_store.h"

namespace octane::api {

// Filterable/sortable attributes of a kind, by API name.
const std::map<std::string, Column>& columns_for(model::Kind kind);

// Computed relation keys of each object, by object id (e.g. {"listeners": [...], "pools": [...]}).
Result<std::map<std::string, nlohmann::json>> relations_for(
    db::ObjectStore& store, model::Kind kind, const std::vector<db::TreeObject>& objects);

// The full API object.
nlohmann::json render(model::Kind kind, const db::TreeObject& object,
                      const nlohmann::json& relations);

// The API object as JSON text, built by splicing the stored attrs text (no parse of attrs):
// the fast path for lists without `fields`.
std::string render_text(model::Kind kind, const db::Row& row, const nlohmann::json& relations);

// Keeps only the requested top-level keys (Octavia's `fields=`); empty = all.
nlohmann::json select_fields(const nlohmann::json& object, const std::vector<std::string>& fields);

}  // namespace octane::api
