#pragma once

// Quota enforcement of the create paths (Octavia's check_quota_met): the objects a project has in
// use are counted inside the caller's transaction, the same one that inserts, so two concurrent
// creates cannot both pass (the database serialises writers). Skipped under noauth, as Octavia.
// The first check of a project creates its (empty) quota row, as Octavia's does.

#include <string>
#include <utility>
#include <vector>

#include "api/v2/support.h"

namespace octane::api::v2 {

// The stored quota row of a project (null when it has none): the overrides of the defaults.
ApiResult<nlohmann::json> stored_quota_row(Call& call, const std::string& project);

// The project's objects of kind that are not DELETED (PENDING_DELETE ones still count: Octavia
// releases quota when the delete flow finishes).
ApiResult<int64_t> quota_in_use(Call& call, Kind kind, const std::string& project);

// Refuses (403 "Quota has been met for resources: <Resource>") when adding the given numbers of
// objects would exceed the project's quota; checked in the order given. Call inside the
// transaction, before inserting.
ApiResult<void> check_quota(Call& call, const std::string& project,
                            const std::vector<std::pair<Kind, int64_t>>& adding);

// The same for a single-call graph create, after its rows are inserted: every child object of
// load balancer lb_id counts as added (the load balancer itself is checked before its insert).
ApiResult<void> check_graph_quota(Call& call, const std::string& project, const std::string& lb_id);

}  // namespace octane::api::v2
