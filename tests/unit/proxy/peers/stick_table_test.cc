#include "proxy/runtime/stick_table.h"

#include <gtest/gtest.h>

namespace octane::proxy {
namespace {

TEST(StickTableEntries, OldestFirstSoAReplayEvictsTheSame) {
    StickTable t(3);
    t.store("a", 0);
    t.store("b", 1);
    t.store("c", 0);
    (void)t.lookup("a");  // a is now the most recently used
    using E = std::vector<std::pair<std::string, int>>;
    EXPECT_EQ(t.entries(), (E{{"b", 1}, {"c", 0}, {"a", 0}}));

    StickTable copy(3);
    for (const auto& [k, v] : t.entries()) {
        copy.store(k, v);
    }
    copy.store("d", 1);  // evicts b in both
    t.store("d", 1);
    EXPECT_EQ(copy.entries(), t.entries());
    EXPECT_EQ(copy.lookup("b"), -1);
}

}  // namespace
}  // namespace octane::proxy
