#include "api/v2/quota_check.h"

#include <functional>

#include "db/quota_repository.h"
#include "model/quota.h"

namespace octane::api::v2 {
namespace {

using model::api_error;
using nlohmann::json;

// How many objects of a kind the project has in use before the request, and how many it adds.
struct Usage {
    int64_t in_use;
    int64_t adding;
};

// Checks kinds in order against the project's quota; usage_of is asked only about kinds with a
// limit (so nothing is counted for unlimited ones).
ApiResult<void> enforce(Call& call, const std::string& project, const std::vector<Kind>& kinds,
                        const std::function<ApiResult<Usage>(Kind)>& usage_of) {
    if (!call.context.enforce_quota || kinds.empty()) {
        return {};
    }
    auto stored = stored_quota_row(call, project);
    if (!stored) {
        return Unexpected(stored.error());
    }
    if (stored->is_null()) {
        // Octavia makes a project's quota row (no limits of its own) at its first check, so the
        // project appears in GET /quotas from then on; it goes with a rolled-back create.
        auto made = db::QuotaRepository(call.api.db).ensure(project);
        if (!made) {
            return storage_error(made.error());
        }
    }
    std::vector<model::QuotaDemand> demands;
    for (Kind kind : kinds) {
        int64_t limit = model::effective_quota(*stored, kind, call.api.settings.quota_defaults);
        if (limit == model::kQuotaUnlimited) {
            continue;
        }
        auto usage = usage_of(kind);
        if (!usage) {
            return Unexpected(usage.error());
        }
        demands.push_back({kind, limit, usage->in_use, usage->adding});
    }
    if (auto kind = model::first_exceeded(demands)) {
        return api_error(403, model::quota_met_message(*kind));
    }
    return {};
}

}  // namespace

ApiResult<json> stored_quota_row(Call& call, const std::string& project) {
    auto stored = db::QuotaRepository(call.api.db).get(project);
    if (!stored) {
        return storage_error(stored.error());
    }
    return stored->value_or(json(nullptr));
}

ApiResult<int64_t> quota_in_use(Call& call, Kind kind, const std::string& project) {
    auto in_use = call.api.store.count_in_use(kind, project);
    if (!in_use) {
        return storage_error(in_use.error());
    }
    return *in_use;
}

ApiResult<void> check_quota(Call& call, const std::string& project,
                            const std::vector<std::pair<Kind, int64_t>>& adding) {
    std::vector<Kind> kinds;
    for (const auto& [kind, n] : adding) {
        if (n > 0) {
            kinds.push_back(kind);
        }
    }
    return enforce(call, project, kinds, [&](Kind kind) -> ApiResult<Usage> {
        int64_t n = 0;
        for (const auto& [k, count] : adding) {
            n += k == kind ? count : 0;
        }
        auto in_use = quota_in_use(call, kind, project);
        if (!in_use) {
            return Unexpected(in_use.error());
        }
        return Usage{*in_use, n};
    });
}

ApiResult<void> check_graph_quota(Call& call, const std::string& project,
                                  const std::string& lb_id) {
    // Octavia's order: pools, then each pool's health monitor and members, then listeners.
    static const std::vector<Kind> kKinds = {Kind::kPool,     Kind::kHealthMonitor, Kind::kMember,
                                             Kind::kListener, Kind::kL7Policy,      Kind::kL7Rule};
    return enforce(call, project, kKinds, [&](Kind kind) -> ApiResult<Usage> {
        auto added = call.api.store.count_of_load_balancer(kind, lb_id);
        if (!added) {
            return storage_error(added.error());
        }
        auto in_use = quota_in_use(call, kind, project);
        if (!in_use) {
            return Unexpected(in_use.error());
        }
        return Usage{*in_use - *added, *added};
    });
}

}  // namespace octane::api::v2
