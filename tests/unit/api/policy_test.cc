#include "api/policy.h"

#include <functional>
#include <map>

#include <gtest/gtest.h>

// Every call octavia-tempest-plugin 2.0.0 checks, against the exact `expected_allowed` lists of
// its RBAC_test_type keystone_default_roles (with [enforce_scope] octavia) and advanced: the
// objects belong to lb_member's project, every persona has its own project, and the roles are
// those Keystone puts into the tokens (implied ones included).
namespace octane::api {
namespace {

using Names = std::set<std::string>;

constexpr const char* kOwner = "p-lb_member";

RequestContext persona(const std::string& name, Names roles, PolicyConfig policy) {
    RequestContext ctx;
    ctx.policy = policy;
    ctx.roles = std::move(roles);
    if (name.starts_with("system_")) {
        ctx.system_scope = true;
    } else {
        ctx.project_id = "p-" + name;
    }
    return ctx;
}

std::map<std::string, RequestContext> personas(PolicyConfig policy) {
    const Names admin = {"admin", "member", "reader"};
    const Names lb_member = {"load-balancer_member", "member", "reader"};
    std::map<std::string, Names> roles = {
        {"admin", admin},
        {"primary", {"member", "reader"}},
        {"lb_admin", {"load-balancer_admin"}},
        {"lb_observer", {"load-balancer_observer", "reader"}},
        {"lb_global_observer", {"load-balancer_global_observer", "reader"}},
        {"lb_member", lb_member},
        {"lb_member2", lb_member},
        {"lb_member_not_default_member", {"load-balancer_member"}},
        {"system_admin", admin},
        {"system_reader", {"reader"}},
    };
    std::map<std::string, RequestContext> out;
    for (auto& [name, granted] : roles) {
        out.emplace(name, persona(name, granted, policy));
    }
    return out;
}

using Call = std::function<bool(const RequestContext&)>;

bool own(const RequestContext& ctx, Rule rule) {
    return allowed(ctx, rule, ctx.project_id);
}

// A list answers (no 403) for the global readers and for readers of their own project.
bool lists(const RequestContext& ctx) {
    return allowed(ctx, Rule::kReadGlobal, std::nullopt) || own(ctx, Rule::kRead);
}

// ... and it holds lb_member's objects only for the global readers and lb_member.
bool sees_owners(const RequestContext& ctx) {
    return allowed(ctx, Rule::kReadGlobal, std::nullopt) ||
           allowed(ctx, Rule::kRead, std::string(kOwner));
}

const std::map<std::string, Call> kCalls = {
    {"create/update/delete", [](auto& c) { return allowed(c, Rule::kWrite, kOwner); }},
    {"show, stats, status", [](auto& c) { return allowed(c, Rule::kRead, kOwner); }},
    {"list", lists},
    {"list holds the owner's objects", sees_owners},
    {"list members/l7rules of the owner's parent",
     [](auto& c) { return allowed(c, Rule::kRead, kOwner); }},
    {"admin only (amphorae, profiles, flavor/AZ writes, failover, capabilities)",
     [](auto& c) { return own(c, Rule::kAdmin); }},
    {"flavors, AZs, providers: read", [](auto& c) { return own(c, Rule::kRead); }},
};

Names allowed_personas(const std::map<std::string, RequestContext>& all, const Call& call) {
    Names out;
    for (const auto& [name, ctx] : all) {
        if (call(ctx)) {
            out.insert(name);
        }
    }
    return out;
}

TEST(Policy, KeystoneDefaultRolesMatchTheTempestPluginLists) {
    const Names readers = {"admin",         "primary",     "system_admin",
                           "system_reader", "lb_observer", "lb_global_observer",
                           "lb_member",     "lb_member2"};
    // The plugin also lists os_admin (a project admin elsewhere) for members/l7rules lists; that
    // contradicts its own show lists and Octavia's rule (read on the pool's project) and is not
    // followed.
    const std::map<std::string, Names> expected = {
        {"create/update/delete", {"system_admin", "lb_member"}},
        {"show, stats, status", {"system_admin", "system_reader", "lb_member"}},
        {"list", readers},
        {"list holds the owner's objects", {"system_admin", "system_reader", "lb_member"}},
        {"list members/l7rules of the owner's parent",
         {"system_admin", "system_reader", "lb_member"}},
        {"admin only (amphorae, profiles, flavor/AZ writes, failover, capabilities)",
         {"system_admin", "lb_admin"}},
        {"flavors, AZs, providers: read", readers},
    };
    auto all = personas({true, true});
    for (const auto& [call, allowed_list] : expected) {
        EXPECT_EQ(allowed_personas(all, kCalls.at(call)), allowed_list) << call;
    }
}

TEST(Policy, AdvancedRbacMatchesTheTempestPluginLists) {
    // The plugin adds os_admin wherever os_system_admin is listed (role admin is global here).
    const Names readers = {"admin",     "system_admin", "system_reader",
                           "lb_admin",  "lb_observer",  "lb_global_observer",
                           "lb_member", "lb_member2",   "lb_member_not_default_member"};
    const std::map<std::string, Names> expected = {
        {"create/update/delete", {"admin", "system_admin", "lb_admin", "lb_member"}},
        {"show, stats, status",
         {"admin", "system_admin", "system_reader", "lb_admin", "lb_global_observer", "lb_member"}},
        {"list", readers},
        {"list holds the owner's objects",
         {"admin", "system_admin", "system_reader", "lb_admin", "lb_member", "lb_global_observer"}},
        {"list members/l7rules of the owner's parent",
         {"admin", "system_admin", "system_reader", "lb_admin", "lb_global_observer", "lb_member"}},
        {"admin only (amphorae, profiles, flavor/AZ writes, failover, capabilities)",
         {"admin", "system_admin", "lb_admin"}},
        {"flavors, AZs, providers: read", readers},
    };
    auto all = personas({false, false});
    for (const auto& [call, allowed_list] : expected) {
        EXPECT_EQ(allowed_personas(all, kCalls.at(call)), allowed_list) << call;
    }
}

TEST(Policy, AdvancedRefusesAMemberOnlyToken) {
    auto ctx = persona("primary", {"member", "reader"}, {false, false});
    for (Rule rule : {Rule::kRead, Rule::kReadGlobal, Rule::kWrite, Rule::kAdmin, Rule::kReadQuota,
                      Rule::kReadQuotaGlobal, Rule::kWriteQuota}) {
        EXPECT_FALSE(own(ctx, rule)) << static_cast<int>(rule);
    }
}

TEST(Policy, Quotas) {
    auto kd = personas({true, true});
    // Default roles: the system admin writes quotas, system reader and the project read them.
    EXPECT_EQ(allowed_personas(kd, [](auto& c) { return own(c, Rule::kWriteQuota); }),
              (Names{"system_admin"}));
    EXPECT_EQ(allowed_personas(
                  kd, [](auto& c) { return allowed(c, Rule::kReadQuotaGlobal, std::nullopt); }),
              (Names{"system_admin", "system_reader"}));
    EXPECT_TRUE(own(kd.at("primary"), Rule::kReadQuota));
    EXPECT_FALSE(allowed(kd.at("primary"), Rule::kReadQuota, std::string(kOwner)));
    auto adv = personas({false, false});
    EXPECT_EQ(allowed_personas(adv, [](auto& c) { return own(c, Rule::kWriteQuota); }),
              (Names{"admin", "system_admin", "lb_admin"}));
    auto quota_admin = persona("lb_quota_admin", {"load-balancer_quota_admin"}, {false, false});
    EXPECT_TRUE(allowed(quota_admin, Rule::kWriteQuota, std::string(kOwner)));
    EXPECT_TRUE(allowed(quota_admin, Rule::kReadQuotaGlobal, std::nullopt));
    EXPECT_FALSE(allowed(quota_admin, Rule::kRead, std::string(kOwner)));
}

TEST(Policy, ProjectAdminIsGlobalOnlyWithoutScopeEnforcement) {
    auto scoped = persona("admin", {"admin", "member", "reader"}, {true, true});
    EXPECT_FALSE(allowed(scoped, Rule::kReadGlobal, std::nullopt));
    EXPECT_FALSE(allowed(scoped, Rule::kWrite, std::string(kOwner)));
    EXPECT_TRUE(allowed(scoped, Rule::kWrite, scoped.project_id));
    auto unscoped = persona("admin", {"admin", "member", "reader"}, {true, false});
    EXPECT_TRUE(allowed(unscoped, Rule::kReadGlobal, std::nullopt));
    EXPECT_TRUE(allowed(unscoped, Rule::kWrite, std::string(kOwner)));
}

TEST(Policy, NoauthPassesEverything) {
    RequestContext ctx;
    ctx.is_admin = true;
    for (PolicyConfig policy : {PolicyConfig{true, true}, PolicyConfig{false, false}}) {
        ctx.policy = policy;
        for (Rule rule : {Rule::kRead, Rule::kReadGlobal, Rule::kWrite, Rule::kAdmin,
                          Rule::kReadQuota, Rule::kReadQuotaGlobal, Rule::kWriteQuota}) {
            EXPECT_TRUE(allowed(ctx, rule, std::string(kOwner)));
        }
    }
    EXPECT_EQ(authorize(RequestContext{}, Rule::kRead, std::string(kOwner)).error().status, 403);
}

}  // namespace
}  // namespace octane::api
