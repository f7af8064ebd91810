#include "controller/health/sequence_guard.h"

#include <gtest/gtest.h>

namespace octane::controller::health {
namespace {

using V = SequenceGuard::Verdict;

TEST(SequenceGuard, Table) {
    struct Step {
        const char* amphora;
        int64_t seq;
        V verdict;
    };
    const Step steps[] = {
        {"a", 5, V::kAccept},   // first seen
        {"a", 6, V::kAccept},   // grows
        {"a", 6, V::kReplay},   // duplicate
        {"a", 4, V::kReplay},   // out of order
        {"b", 1, V::kAccept},   // independent per amphora
        {"a", 9, V::kAccept},   // gaps are fine (lost datagrams)
        {"a", 1, V::kRestart},  // agent restarted
        {"a", 2, V::kAccept},  {"a", 2, V::kReplay},
        {"a", 1, V::kRestart},  // indistinguishable from a replayed first datagram (documented)
    };
    SequenceGuard guard;
    for (const Step& s : steps) {
        EXPECT_EQ(guard.check(s.amphora, s.seq), s.verdict) << s.amphora << " seq " << s.seq;
    }
    guard.forget("a");
    EXPECT_EQ(guard.check("a", 1), V::kAccept);
}

}  // namespace
}  // namespace octane::controller::health
