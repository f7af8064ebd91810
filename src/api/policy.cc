#include "api/policy.h"

namespace octane::api {
namespace {

// The checks Octavia's rules are built from (octavia/policies), for one caller and target.
class Checks {
  public:
    Checks(const RequestContext& ctx, const std::optional<std::string>& target)
        : ctx_(ctx), target_(target) {}

    bool allowed(Rule rule) const {
        return ctx_.policy.enforce_new_defaults ? default_roles(rule) : advanced(rule);
    }

  private:
    bool has(const char* role) const { return ctx_.roles.count(role) > 0; }
    bool owner() const {
        return !ctx_.system_scope && ctx_.project_id && target_ && *ctx_.project_id == *target_;
    }

    // Keystone's default roles (admin implies member implies reader) with the scoped defaults of
    // octavia-tempest-plugin's keystone_default_roles lists: a system-scoped admin or reader acts
    // on every project, a project's roles only on that project, so a project admin is a member
    // there and nothing more. The load-balancer_* roles are ignored except load-balancer_admin
    // on the admin-only calls. Without scope enforcement a project admin counts as system admin.
    bool default_roles(Rule rule) const {
        bool unscoped_admin = !ctx_.policy.enforce_scope && has("admin");
        bool system_admin = (ctx_.system_scope && has("admin")) || unscoped_admin;
        bool system_reader = (ctx_.system_scope && has("reader")) || unscoped_admin;
        bool is_admin = ctx_.is_admin || system_admin;  // context_is_admin, or noauth
        bool project_reader = has("reader") && owner();
        bool project_member = has("member") && owner();
        switch (rule) {
            case Rule::kRead:
            case Rule::kReadQuota:
                return is_admin || system_reader || project_reader;
            case Rule::kReadGlobal:
            case Rule::kReadQuotaGlobal:
                return is_admin || system_reader;
            case Rule::kWrite:
                return is_admin || project_member;
            case Rule::kAdmin:
                return is_admin || has("load-balancer_admin");
            case Rule::kWriteQuota:
                return is_admin;
        }
        return false;
    }

    // Octavia 11's defaults with the deprecated role rules OR'ed in: only the load-balancer_*
    // roles (and admin) count, so a token with just member or reader is refused everywhere.
    bool advanced(Rule rule) const {
        bool admin = ctx_.is_admin || has("admin") || has("load-balancer_admin");
        bool global_observer =
            has("load-balancer_global_observer") || (ctx_.system_scope && has("reader")) || admin;
        bool member_and_owner = has("load-balancer_member") && owner();
        bool observer_and_owner = has("load-balancer_observer") && owner();
        bool quota_admin = has("load-balancer_quota_admin") || admin;
        bool read = observer_and_owner || global_observer || member_and_owner;
        switch (rule) {
            case Rule::kRead:
                return read;
            case Rule::kReadGlobal:
                return global_observer;
            case Rule::kWrite:
                return member_and_owner || admin;
            case Rule::kAdmin:
                return admin;
            case Rule::kReadQuota:
                return read || quota_admin;
            case Rule::kReadQuotaGlobal:
                return global_observer || quota_admin;
            case Rule::kWriteQuota:
                return quota_admin;
        }
        return false;
    }

    const RequestContext& ctx_;
    const std::optional<std::string>& target_;
};

}  // namespace

bool allowed(const RequestContext& ctx, Rule rule, const std::optional<std::string>& target) {
    return Checks(ctx, target).allowed(rule);
}

model::ApiResult<void> authorize(const RequestContext& ctx, Rule rule,
                                 const std::optional<std::string>& target) {
    if (!allowed(ctx, rule, target)) {
        return model::api_error(403, "Policy does not allow this request to be performed.");
    }
    return {};
}

}  // namespace octane::api
