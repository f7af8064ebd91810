#include "api/policy.h"

namespace octane::api {
namespace {

bool has(const RequestContext& ctx, const char* role) {
    return ctx.roles.count(role) > 0;
}

bool owner(const RequestContext& ctx, const std::optional<std::string>& target) {
    return ctx.project_id && target && *ctx.project_id == *target;
}

bool is_admin(const RequestContext& ctx) {
    return ctx.is_admin || has(ctx, "admin") || has(ctx, "load-balancer_admin");
}

bool global_observer(const RequestContext& ctx) {
    return has(ctx, "load-balancer_global_observer") || is_admin(ctx);
}

bool member_and_owner(const RequestContext& ctx, const std::optional<std::string>& target) {
    return (has(ctx, "member") || has(ctx, "load-balancer_member")) && owner(ctx, target);
}

bool observer_and_owner(const RequestContext& ctx, const std::optional<std::string>& target) {
    return (has(ctx, "reader") || has(ctx, "load-balancer_observer")) && owner(ctx, target);
}

bool quota_admin(const RequestContext& ctx) {
    return has(ctx, "load-balancer_quota_admin") || is_admin(ctx);
}

}  // namespace

bool allowed(const RequestContext& ctx, Rule rule, const std::optional<std::string>& target) {
    switch (rule) {
        case Rule::kRead:
            return observer_and_owner(ctx, target) || global_observer(ctx) ||
                   member_and_owner(ctx, target) || is_admin(ctx);
        case Rule::kReadGlobal:
            return global_observer(ctx);
        case Rule::kWrite:
            return member_and_owner(ctx, target) || is_admin(ctx);
        case Rule::kAdmin:
            return is_admin(ctx);
        case Rule::kReadQuota:
            return observer_and_owner(ctx, target) || global_observer(ctx) ||
                   member_and_owner(ctx, target) || quota_admin(ctx);
        case Rule::kReadQuotaGlobal:
            return global_observer(ctx) || quota_admin(ctx);
        case Rule::kWriteQuota:
            return quota_admin(ctx);
    }
    return false;
}

model::ApiResult<void> authorize(const RequestContext& ctx, Rule rule,
                                 const std::optional<std::string>& target) {
    if (!allowed(ctx, rule, target)) {
        return model::api_error(403, "Policy does not allow this request to be performed.");
    }
    return {};
}

}  // namespace octane::api
