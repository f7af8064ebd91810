// L7 policies and rules -> PolicyView (docs/haproxy-dialect.md §2): ACLs named after rule ids,
// ANDed in a condition, one action per policy, in position order.

#include "render/transform_env.h"

namespace octane::render {
namespace {

std::string match_flag(const std::string& compare_type) {
    if (compare_type == "REGEX") {
        return "-m reg";
    }
    if (compare_type == "STARTS_WITH") {
        return "-m beg";
    }
    if (compare_type == "ENDS_WITH") {
        return "-m end";
    }
    if (compare_type == "CONTAINS") {
        return "-m sub";
    }
    if (compare_type == "EQUAL_TO") {
        return "-m str";
    }
    return "";
}

bool acl_fetch(const std::string& type, AclFetch& fetch) {
    static const std::pair<const char*, AclFetch> kTypes[] = {
        {"HOST_NAME", AclFetch::kHost},
        {"PATH", AclFetch::kPath},
        {"FILE_TYPE", AclFetch::kPathEnd},
        {"HEADER", AclFetch::kHeader},
        {"COOKIE", AclFetch::kCookie},
        {"SSL_CONN_HAS_CERT", AclFetch::kSslHasCert},
        {"SSL_VERIFY_RESULT", AclFetch::kSslVerify},
        {"SSL_DN_FIELD", AclFetch::kSslDn},
    };
    for (const auto& [name, value] : kTypes) {
        if (type == name) {
            fetch = value;
            return true;
        }
    }
    return false;
}

bool rule_active(const L7RuleInput& rule) {
    return rule.admin_state_up && !is_pending_delete(rule.provisioning_status);
}

PolicyView policy_view(const L7PolicyInput& policy, const ListenerInput& listener,
                       const TransformEnv& env) {
    PolicyView v;
    for (const L7RuleInput& rule : policy.rules) {
        if (!rule_active(rule)) {
            continue;
        }
        AclView acl;
        acl.rule_id = env.word(rule.id, "l7rule.id");
        if (!acl_fetch(rule.type, acl.fetch)) {
            env.errors->push_back("l7rule " + rule.id + ": unknown type " + rule.type);
        }
        if (!rule.key.empty()) {
            acl.key = env.word(rule.key, "l7rule.key");
        }
        acl.match = match_flag(rule.compare_type);
        acl.value = rule.value;
        v.acls.push_back(acl);
        v.condition.emplace_back(rule.invert, rule.id);
    }
    bool redirect = policy.action == "REDIRECT_TO_URL" || policy.action == "REDIRECT_PREFIX";
    v.redirect_code = redirect ? policy.redirect_http_code : 0;
    if (policy.action == "REJECT") {
        v.action = PolicyView::Action::kReject;
    } else if (policy.action == "REDIRECT_TO_URL") {
        v.action = PolicyView::Action::kRedirectUrl;
        v.target = env.word(policy.redirect_url, "l7policy.redirect_url");
    } else if (policy.action == "REDIRECT_PREFIX") {
        v.action = PolicyView::Action::kRedirectPrefix;
        v.target = env.word(policy.redirect_prefix, "l7policy.redirect_prefix");
    } else if (policy.action == "REDIRECT_TO_POOL") {
        const PoolInput* pool = env.find_pool(policy.redirect_pool_id);
        // A disabled or deleting target pool leaves the ACLs without an action, as in Octavia.
        if (pool && pool->admin_state_up && !is_pending_delete(pool->provisioning_status)) {
            v.action = PolicyView::Action::kUseBackend;
            v.target = pool->id + ":" + listener.id;
        }
    } else {
        env.errors->push_back("l7policy " + policy.id + ": unknown action " + policy.action);
    }
    return v;
}

}  // namespace

std::vector<PolicyView> transform_policies(const ListenerInput& listener, const TransformEnv& env) {
    std::vector<PolicyView> out;
    for (const L7PolicyInput* p : policies_by_position(listener)) {
        if (!p->admin_state_up || is_pending_delete(p->provisioning_status)) {
            continue;
        }
        PolicyView v = policy_view(*p, listener, env);
        if (!v.condition.empty()) {  // a policy without active rules never matches
            out.push_back(std::move(v));
        }
    }
    return out;
}

}  // namespace octane::render
