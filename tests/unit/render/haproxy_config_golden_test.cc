// Golden tests: each of the 31 corpus cases, turned into the renderer's input contract, must render
// to the bytes Octavia 11.0.0 produced. The only normalisations are the order of the
// `http-check expect rstatus` alternation, which Octavia takes from a Python set, and the values
// we escape differently on purpose (corpus_case.cc, kDeliberate).

#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "corpus_case.h"
#include "render/haproxy_config.h"

namespace octane::render {
namespace {

class GoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTest, RendersOctaviaBytes) {
    testing::CorpusCase c = testing::load_corpus_case(GetParam());
    auto rendered = render_haproxy_cfg(c.load_balancer, c.context);
    ASSERT_TRUE(rendered.has_value()) << rendered.error().message;
    EXPECT_EQ(testing::canonical_rstatus(*rendered), testing::canonical_rstatus(c.expected_cfg));
}

TEST_P(GoldenTest, IsDeterministic) {
    testing::CorpusCase c = testing::load_corpus_case(GetParam());
    auto first = render_haproxy_cfg(c.load_balancer, c.context);
    auto second = render_haproxy_cfg(c.load_balancer, c.context);
    ASSERT_TRUE(first.has_value() && second.has_value());
    EXPECT_EQ(*first, *second);
}

INSTANTIATE_TEST_SUITE_P(Corpus, GoldenTest, ::testing::ValuesIn(testing::corpus_case_names()),
                         [](const auto& info) { return info.param; });

// Octane's own cases: the renderer must keep producing the checked-in bytes, which
// render_golden_haproxy_check runs through HAProxy 2.6 and octane-proxy.
class OwnGoldenTest : public ::testing::TestWithParam<std::string> {};

TEST_P(OwnGoldenTest, RendersCheckedInBytes) {
    testing::CorpusCase c = testing::load_case(testing::own_cases_dir(), GetParam());
    auto rendered = render_haproxy_cfg(c.load_balancer, c.context);
    ASSERT_TRUE(rendered.has_value()) << rendered.error().message;
    if (std::getenv("OCTANE_WRITE_OWN_GOLDEN") != nullptr) {
        // Regeneration after a deliberate change (README there); review the diff before committing.
        std::ofstream(testing::own_cases_dir() + "/" + GetParam() + ".cfg", std::ios::binary)
            << *rendered;
        return;
    }
    EXPECT_EQ(*rendered, c.expected_cfg);
}

INSTANTIATE_TEST_SUITE_P(Own, OwnGoldenTest,
                         ::testing::ValuesIn(testing::case_names(testing::own_cases_dir())),
                         [](const auto& info) { return info.param; });

TEST(GoldenCorpus, HasAllCases) {
    EXPECT_EQ(testing::corpus_case_names().size(), 31u);
}

// Without the set-order normalisation every case but the two multi-code HTTP monitors matches
// (after the deliberate differences; exactly one case has one).
TEST(GoldenCorpus, RawBytesMatchExceptSetOrderedCodes) {
    int raw_equal = 0;
    int differing = 0;
    for (const std::string& name : testing::corpus_case_names()) {
        testing::CorpusCase c = testing::load_corpus_case(name);
        auto rendered = render_haproxy_cfg(c.load_balancer, c.context);
        ASSERT_TRUE(rendered.has_value()) << name;
        raw_equal += *rendered == c.expected_cfg ? 1 : 0;
        differing += c.expected_cfg != c.octavia_cfg ? 1 : 0;
    }
    EXPECT_EQ(raw_equal, 29);
    EXPECT_EQ(differing, 1);
}

}  // namespace
}  // namespace octane::render
