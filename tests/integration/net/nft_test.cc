#include "net/nft.h"

#include <unistd.h>

#include "net/counters.h"
#include "netns_fixture.h"

namespace octane::net {
namespace {

using testing::count_occurrences;
using testing::NetnsTest;
using testing::run_command;

class NftTest : public NetnsTest {
  protected:
    void SetUp() override {
        NetnsTest::SetUp();
        if (!IsSkipped()) {
            ns_ = make_netns("nft");
        }
    }
    // The replace idiom: declare, delete, define; one transaction.
    std::string replace_batch(const std::string& fixed_ip) const {
        return "table ip " + table_ + "\ndelete table ip " + table_ + "\ntable ip " + table_ +
               " {\n  chain pre {\n    type nat hook prerouting priority dstnat; policy accept;\n"
               "    ip daddr 203.0.113.10 dnat to " +
               fixed_ip + "\n  }\n}\n";
    }
    std::string ns_;
    const std::string table_ = "octane_nat_" + std::to_string(::getpid());
};

TEST_F(NftTest, ReplaceBatchIsIdempotentAndScopedToTheNamespace) {
    const NetCounters before = counters();
    auto applied = nft_apply(ns_, replace_batch("10.0.0.5"));
    ASSERT_TRUE(applied) << applied.error().message;
    applied = nft_apply(ns_, replace_batch("10.0.0.5"));
    ASSERT_TRUE(applied) << applied.error().message;
    EXPECT_EQ(counters().nft_transactions, before.nft_transactions + 2);

    auto ruleset = nft_list_ruleset(ns_);
    ASSERT_TRUE(ruleset) << ruleset.error().message;
    EXPECT_EQ(count_occurrences(*ruleset, "table ip " + table_), 1u) << *ruleset;
    EXPECT_EQ(count_occurrences(*ruleset, "dnat to 10.0.0.5"), 1u) << *ruleset;
    const auto shown = run_command("ip netns exec " + ns_ + " nft list ruleset");
    EXPECT_EQ(count_occurrences(shown.output, "dnat to 10.0.0.5"), 1u) << shown.output;
    auto root = nft_list_ruleset("");
    ASSERT_TRUE(root) << root.error().message;
    EXPECT_EQ(root->find(table_), std::string::npos);

    // Moving the floating IP to another fixed IP rewrites the one rule.
    ASSERT_TRUE(nft_apply(ns_, replace_batch("10.0.0.6")));
    ruleset = nft_list_ruleset(ns_);
    ASSERT_TRUE(ruleset);
    EXPECT_EQ(count_occurrences(*ruleset, "dnat to 10.0.0.5"), 0u) << *ruleset;
    EXPECT_EQ(count_occurrences(*ruleset, "dnat to 10.0.0.6"), 1u) << *ruleset;

    auto deleted = nft_delete_table(ns_, "ip", table_);
    ASSERT_TRUE(deleted) << deleted.error().message;
    EXPECT_TRUE(nft_delete_table(ns_, "ip", table_)) << "missing is success";
    ruleset = nft_list_ruleset(ns_);
    ASSERT_TRUE(ruleset);
    EXPECT_EQ(ruleset->find(table_), std::string::npos) << *ruleset;
    EXPECT_FALSE(nft_delete_table(ns_, "ip", "x; flush ruleset"));
}

TEST_F(NftTest, FailedBatchChangesNothing) {
    ASSERT_TRUE(nft_apply(ns_, replace_batch("10.0.0.5")));
    auto before = nft_list_ruleset(ns_);
    ASSERT_TRUE(before);

    // Syntax error in the last command: the delete before it must not happen either.
    std::string broken = replace_batch("10.0.0.7");
    broken.replace(broken.find("dnat to"), 7, "dnatt to");
    auto failed = nft_apply(ns_, broken);
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("Error"), std::string::npos) << failed.error().message;
    EXPECT_NE(failed.error().message.find(ns_), std::string::npos) << failed.error().message;
    auto after = nft_list_ruleset(ns_);
    ASSERT_TRUE(after);
    EXPECT_EQ(*after, *before);

    // Parses, but the kernel refuses the second command (no such chain): the first is rolled back.
    const std::string rejected = "delete table ip " + table_ + "\nadd rule ip " + table_ +
                                 " nosuchchain ip daddr 192.0.2.1 accept\n";
    failed = nft_apply(ns_, rejected);
    ASSERT_FALSE(failed);
    EXPECT_NE(failed.error().message.find("Error"), std::string::npos) << failed.error().message;
    after = nft_list_ruleset(ns_);
    ASSERT_TRUE(after);
    EXPECT_EQ(*after, *before);
}

}  // namespace
}  // namespace octane::net
