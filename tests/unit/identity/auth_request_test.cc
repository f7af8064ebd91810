#include "identity/auth_request.h"

#include <gtest/gtest.h>

namespace octane::identity {
namespace {

TEST(AuthRequest, PasswordWithProjectScopeByName) {
    auto parsed = parse_auth_request(R"({"auth": {"identity": {"methods": ["password"],
        "password": {"user": {"name": "admin", "domain": {"name": "Default"}, "password": "pw"}}},
        "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}}}})");
    ASSERT_TRUE(parsed) << parsed.error().message;
    ASSERT_TRUE(parsed->password);
    EXPECT_EQ(*parsed->password->user_name, "admin");
    EXPECT_EQ(*parsed->password->domain_name, "Default");
    EXPECT_EQ(parsed->password->password, "pw");
    EXPECT_EQ(*parsed->project_name, "admin");
    EXPECT_EQ(*parsed->project_domain_name, "Default");
    EXPECT_FALSE(parsed->project_id);
}

TEST(AuthRequest, UnscopedByUserIdAndTokenMethod) {
    auto parsed = parse_auth_request(R"({"auth": {"identity": {"methods": ["password"],
        "password": {"user": {"id": "abc", "password": "pw"}}}}})");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed->password->user_id, "abc");
    EXPECT_FALSE(parsed->project_name || parsed->project_id);
    auto token = parse_auth_request(
        R"({"auth": {"identity": {"methods": ["token"], "token": {"id": "t0k"}},
            "scope": {"project": {"id": "p1"}}}})");
    ASSERT_TRUE(token);
    EXPECT_EQ(*token->token, "t0k");
    EXPECT_EQ(*token->project_id, "p1");
}

TEST(AuthRequest, MalformedBodiesAre400) {
    for (const char* body : {
             "",
             "[]",
             "not json",
             R"({"auth": 1})",
             R"({"auth": {}})",
             R"({"auth": {"identity": {}}})",
             R"({"auth": {"identity": {"methods": []}}})",
             R"({"auth": {"identity": {"methods": ["password"]}}})",
             R"({"auth": {"identity": {"methods": ["password"], "password": {"user": {}}}}})",
             R"({"auth": {"identity": {"methods": ["password"], "password": {"user":
                 {"name": "a"}}}}})",
             R"({"auth": {"identity": {"methods": ["password"], "password": {"user":
                 {"name": 5, "password": "x"}}}}})",
             R"({"auth": {"identity": {"methods": ["password"], "password": {"user":
                 {"name": "a", "password": "x"}}}, "scope": {"project": {}}}})",
         }) {
        auto parsed = parse_auth_request(body);
        ASSERT_FALSE(parsed) << body;
        EXPECT_EQ(parsed.error().code, 400) << body;
    }
}

TEST(AuthRequest, UnsupportedMethodOrScopeIs401) {
    auto parsed =
        parse_auth_request(R"({"auth": {"identity": {"methods": ["totp"], "totp": {}}}})");
    ASSERT_FALSE(parsed);
    EXPECT_EQ(parsed.error().code, 401);
    auto domain = parse_auth_request(R"({"auth": {"identity": {"methods": ["password"],
        "password": {"user": {"name": "a", "password": "x"}}}, "scope": {"domain": {"id": "d"}}}})");
    ASSERT_FALSE(domain);
    EXPECT_EQ(domain.error().code, 401);
}

TEST(AuthRequest, SystemScope) {
    auto parsed = parse_auth_request(R"({"auth": {"identity": {"methods": ["password"],
        "password": {"user": {"name": "a", "password": "x"}}}, "scope": {"system": {"all": true}}}})");
    ASSERT_TRUE(parsed) << parsed.error().message;
    EXPECT_TRUE(parsed->system);
    EXPECT_FALSE(parsed->project_id || parsed->project_name);
    for (const char* system : {R"({"all": false})", R"({})", R"(true)"}) {
        auto bad = parse_auth_request(
            std::string(R"({"auth": {"identity": {"methods": ["password"], "password": {"user":
            {"name": "a", "password": "x"}}}, "scope": {"system": )") +
            system + "}}}");
        ASSERT_FALSE(bad) << system;
        EXPECT_EQ(bad.error().code, 400) << system;
    }
}

}  // namespace
}  // namespace octane::identity
