// Tokens of the built-in identity over a real (in-memory) SQLite database: a re-issued token
// never outlives its parent, revocation reaches every token derived from the revoked one, an
// unknown user costs the same one password derivation as a known one, tokens carry implied roles,
// and system-scoped tokens follow the system role assignments.

#include "identity/identity_store.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "../../support/fake_clock.h"
#include "db/sqlite_database.h"
#include "identity/identity_schema.h"
#include "identity/password_hash.h"

namespace octane::identity {
namespace {

using namespace std::chrono_literals;

constexpr int64_t kTtlSeconds = 3600;

class IdentityStoreTest : public ::testing::Test {
  protected:
    void SetUp() override {
        auto opened = db::SqliteDatabase::open(":memory:");
        ASSERT_TRUE(opened) << opened.error().message;
        db_ = std::move(*opened);
        ASSERT_TRUE(migrate_identity(*db_));
        store_.emplace(*db_, clock_, kTtlSeconds);
        auto project = store_->create_project("demo");
        ASSERT_TRUE(project) << project.error().message;
        project_ = *project;
        auto user = store_->create_user("alice", "pw", std::nullopt);
        ASSERT_TRUE(user) << user.error().message;
        user_ = *user;
        ASSERT_TRUE(store_->assign_role("alice", "demo", "member"));
    }

    IssuedToken issue(const TokenInfo* parent = nullptr, bool scoped = false) {
        auto issued =
            store_->issue_token(user_, scoped ? std::optional(project_) : std::nullopt, parent);
        EXPECT_TRUE(issued) << issued.error().message;
        return issued ? *issued : IssuedToken{};
    }

    bool valid(const IssuedToken& t) { return store_->validate_token(t.token).has_value(); }

    test_support::FakeClock clock_;
    std::unique_ptr<db::SqliteDatabase> db_;
    std::optional<IdentityStore> store_;
    Project project_;
    User user_;
};

TEST_F(IdentityStoreTest, ReissuedTokenExpiresWithItsParent) {
    IssuedToken root = issue();
    clock_.advance(30min);
    IssuedToken child = issue(&root.info, true);
    EXPECT_EQ(child.info.expires_ms, root.info.expires_ms);
    clock_.advance(20min);
    IssuedToken grandchild = issue(&child.info);
    EXPECT_EQ(grandchild.info.expires_ms, root.info.expires_ms);
    EXPECT_GT(grandchild.info.issued_ms, root.info.issued_ms);
    // Just past the first token's hour: the whole chain is gone, however recently re-issued.
    clock_.advance(10min + 1ms);
    EXPECT_FALSE(valid(root));
    EXPECT_FALSE(valid(child));
    EXPECT_FALSE(valid(grandchild));
}

TEST_F(IdentityStoreTest, ReissuedTokenNamesItsChainAsKeystoneAuditIds) {
    IssuedToken root = issue();
    IssuedToken child = issue(&root.info, true);
    IssuedToken grandchild = issue(&child.info);
    EXPECT_EQ(root.info.audit_chain_id, root.info.audit_id);
    EXPECT_NE(child.info.audit_id, root.info.audit_id);
    EXPECT_EQ(child.info.audit_chain_id, root.info.audit_id);
    EXPECT_EQ(grandchild.info.audit_chain_id, root.info.audit_id);
    auto validated = store_->validate_token(grandchild.token);
    ASSERT_TRUE(validated);
    EXPECT_EQ(validated->audit_chain_id, root.info.audit_id);
}

TEST_F(IdentityStoreTest, RevocationReachesEveryDerivedTokenAndNoOther) {
    IssuedToken root = issue();
    IssuedToken child = issue(&root.info, true);
    IssuedToken grandchild = issue(&child.info);
    IssuedToken sibling = issue(&root.info);
    IssuedToken unrelated = issue();
    IssuedToken unrelated_child = issue(&unrelated.info, true);

    ASSERT_TRUE(store_->revoke_token(child.token));
    EXPECT_FALSE(valid(child));
    EXPECT_FALSE(valid(grandchild));
    EXPECT_TRUE(valid(root));  // a parent is not derived from its child
    EXPECT_TRUE(valid(sibling));

    ASSERT_TRUE(store_->revoke_token(root.token));
    EXPECT_FALSE(valid(root));
    EXPECT_FALSE(valid(sibling));
    EXPECT_TRUE(valid(unrelated));
    EXPECT_TRUE(valid(unrelated_child));
}

TEST_F(IdentityStoreTest, NoTokenIsIssuedFromARevokedParent) {
    IssuedToken root = issue();
    TokenInfo parent = root.info;  // validated before a concurrent revocation
    ASSERT_TRUE(store_->revoke_token(root.token));
    auto late = store_->issue_token(user_, project_, &parent);
    ASSERT_FALSE(late);
    EXPECT_EQ(late.error().code, 401);
}

TEST_F(IdentityStoreTest, UnknownUserCostsOnePasswordDerivationLikeAKnownOne) {
    uint64_t before = pbkdf2_runs();
    EXPECT_FALSE(store_->authenticate("nobody-" + random_hex(4), "pw"));
    uint64_t unknown = pbkdf2_runs() - before;
    before = pbkdf2_runs();
    EXPECT_FALSE(store_->authenticate("alice", "wrong"));
    uint64_t wrong_password = pbkdf2_runs() - before;
    before = pbkdf2_runs();
    EXPECT_TRUE(store_->authenticate("alice", "pw"));
    uint64_t right_password = pbkdf2_runs() - before;
    EXPECT_EQ(right_password, 1u);
    EXPECT_EQ(wrong_password, 1u);
    EXPECT_EQ(unknown, 1u);
}

TEST(AbsentUserHash, CostsWhatARealHashCostsAndMatchesNothing) {
    std::string real = hash_password("x");
    std::string_view absent = absent_user_hash();
    EXPECT_EQ(absent.size(), real.size());
    EXPECT_EQ(absent.substr(0, absent.find('$', 15)), real.substr(0, real.find('$', 15)));
    for (const char* guess : {"", "x", "0", "password"}) {
        EXPECT_FALSE(verify_password(guess, absent)) << guess;
    }
}

std::vector<std::string> names_of(const std::vector<Role>& roles) {
    std::vector<std::string> out;
    for (const auto& role : roles) {
        out.push_back(role.name);
    }
    std::sort(out.begin(), out.end());
    return out;
}

TEST(ImpliedRoles, AdminImpliesMemberImpliesReader) {
    using V = std::vector<std::string>;
    EXPECT_EQ(implied_role_names({"admin"}), (V{"admin", "member", "reader"}));
    EXPECT_EQ(implied_role_names({"member", "load-balancer_member"}),
              (V{"member", "load-balancer_member", "reader"}));
    EXPECT_EQ(implied_role_names({"reader"}), (V{"reader"}));
    EXPECT_EQ(implied_role_names({"load-balancer_admin"}), (V{"load-balancer_admin"}));
}

TEST_F(IdentityStoreTest, ProjectTokensCarryImpliedRoles) {
    IssuedToken scoped = issue(nullptr, true);
    EXPECT_FALSE(scoped.info.system);
    EXPECT_EQ(names_of(scoped.info.roles), (std::vector<std::string>{"member", "reader"}));
    auto validated = store_->validate_token(scoped.token);
    ASSERT_TRUE(validated);
    EXPECT_EQ(names_of(validated->roles), (std::vector<std::string>{"member", "reader"}));
}

TEST_F(IdentityStoreTest, SystemScopedTokensFollowTheSystemAssignments) {
    auto refused = store_->issue_token(user_, std::nullopt, nullptr, true);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, 401);
    ASSERT_TRUE(store_->assign_system_role("alice", "admin"));
    auto issued = store_->issue_token(user_, std::nullopt, nullptr, true);
    ASSERT_TRUE(issued) << issued.error().message;
    EXPECT_TRUE(issued->info.system);
    EXPECT_FALSE(issued->info.project);
    EXPECT_EQ(names_of(issued->info.roles),
              (std::vector<std::string>{"admin", "member", "reader"}));
    auto validated = store_->validate_token(issued->token);
    ASSERT_TRUE(validated);
    EXPECT_TRUE(validated->system);
    auto assignments = store_->list_role_assignments();
    ASSERT_TRUE(assignments);
    ASSERT_EQ(assignments->size(), 2u);  // member on demo, admin on the system
    auto admin = store_->ensure_role("admin");
    ASSERT_TRUE(admin);
    ASSERT_TRUE(store_->unassign_system_role(user_.id, admin->id));
    EXPECT_EQ(store_->unassign_system_role(user_.id, admin->id).error().code, 404);
    EXPECT_FALSE(store_->validate_token(issued->token));  // its grant is gone
    IssuedToken scoped = issue(nullptr, true);            // the project token is unaffected
    EXPECT_TRUE(valid(scoped));
}

TEST(IdentitySchema, AddsTokenLineageToAnOlderDatabaseAndKeepsItsTokens) {
    auto opened = db::SqliteDatabase::open(":memory:");
    ASSERT_TRUE(opened);
    db::Database& db = **opened;
    // The tokens table as state directories made before lineage have it.
    ASSERT_TRUE(db.exec(
        "CREATE TABLE identity_tokens (digest TEXT PRIMARY KEY, user_id TEXT NOT NULL, project_id"
        " TEXT, audit_id TEXT NOT NULL, issued_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,"
        " revoked INTEGER NOT NULL DEFAULT 0)"));
    ASSERT_TRUE(migrate_identity(db));
    ASSERT_TRUE(migrate_identity(db));  // idempotent
    test_support::FakeClock clock;
    IdentityStore store(db, clock, kTtlSeconds);
    auto user = store.create_user("bob", "pw", std::nullopt);
    ASSERT_TRUE(user);
    std::string old_token = new_token();
    int64_t now = to_unix_millis(clock.now());
    ASSERT_TRUE(db.exec(
        "INSERT INTO identity_tokens (digest, user_id, audit_id, issued_ms, expires_ms) VALUES"
        " (?, ?, 'old-audit', ?, ?)",
        {token_digest(old_token), user->id, now, now + 1000}));
    auto validated = store.validate_token(old_token);
    ASSERT_TRUE(validated) << validated.error().message;
    EXPECT_EQ(validated->audit_chain_id, "old-audit");
    auto child = store.issue_token(*user, std::nullopt, &*validated);
    ASSERT_TRUE(child);
    ASSERT_TRUE(store.revoke_token(old_token));
    EXPECT_FALSE(store.validate_token(child->token));
}

}  // namespace
}  // namespace octane::identity
