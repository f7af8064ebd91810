// The sample expressions of `balance hash` / `set-var` (docs/haproxy-dialect.md §3).

#include "proxy/config/sample_expr.h"

#include <gtest/gtest.h>

namespace octane::proxy::config {
namespace {

SetVarRule set_var(const std::string& var, const std::string& expr) {
    auto e = parse_sample_expr(expr);
    EXPECT_TRUE(e.has_value()) << expr;
    return SetVarRule{{}, false, var, e ? *e : SampleExpr{}};
}

TEST(SampleExpr, ParsesWhatTheRendererWrites) {
    auto e = parse_sample_expr("src,concat(:,txn.src_port)");
    ASSERT_TRUE(e.has_value()) << e.error().message;
    EXPECT_EQ(e->fetch, SampleFetch::kSrc);
    ASSERT_EQ(e->concats.size(), 1u);
    EXPECT_EQ(e->concats[0].prefix, ":");
    EXPECT_EQ(e->concats[0].var, "txn.src_port");
    EXPECT_EQ(e->concats[0].suffix, "");

    e = parse_sample_expr("src_port,concat(<,txn.a.b_1,>),concat(,,-)");
    ASSERT_TRUE(e.has_value()) << e.error().message;
    EXPECT_EQ(e->fetch, SampleFetch::kSrcPort);
    ASSERT_EQ(e->concats.size(), 2u);
    EXPECT_EQ(e->concats[0].prefix, "<");
    EXPECT_EQ(e->concats[0].var, "txn.a.b_1");
    EXPECT_EQ(e->concats[0].suffix, ">");
    EXPECT_EQ(e->concats[1].var, "");
    EXPECT_EQ(e->concats[1].suffix, "-");
}

TEST(SampleExpr, RefusesWhatItCannotEvaluateWithAReason) {
    struct Case {
        const char* text;
        const char* error;
    };
    const Case cases[] = {
        {"dst", "sample fetch 'dst' is not supported (src, src_port)"},
        {"", "sample fetch '' is not supported"},
        {"src,lower", "converter 'lower' is not supported (concat)"},
        {"src,concat(:,txn.p", "unbalanced parentheses"},
        {"src,concat(:,sess.p)", "variable 'sess.p' is not supported"},
        {"src,concat(:,txn.)", "variable 'txn.' is not supported"},
        {"src,concat(a,txn.p,b,c)", "'concat' takes at most 3 arguments"},
        {"src,concat(\"a\",txn.p)", "'concat' argument '\"a\"' is not supported"},
    };
    for (const Case& c : cases) {
        auto e = parse_sample_expr(c.text);
        ASSERT_FALSE(e.has_value()) << c.text;
        EXPECT_NE(e.error().message.find(c.error), std::string::npos)
            << c.text << ": " << e.error().message;
    }
}

TEST(SampleExpr, SetVarActionNamesATransactionVariable) {
    EXPECT_EQ(*parse_set_var_action("set-var(txn.src_port)"), "txn.src_port");
    EXPECT_EQ(*parse_set_var_action("set-header"), "");
    EXPECT_FALSE(parse_set_var_action("set-var(req.x)").has_value());
    EXPECT_FALSE(parse_set_var_action("set-var(txn.x").has_value());
}

TEST(SampleExpr, EvaluatesAddressAndPortThroughTheVariable) {
    auto e = parse_sample_expr("src,concat(:,txn.src_port)");
    ASSERT_TRUE(e.has_value());
    std::vector<SetVarRule> rules = {set_var("txn.src_port", "src_port")};
    EXPECT_EQ(eval_sample(*e, rules, {"192.0.2.7", 40001}), "192.0.2.7:40001");
    EXPECT_EQ(eval_sample(*e, rules, {"2001:db8::1", 5}), "2001:db8::1:5");
    // No rule sets the variable: it reads as empty (HAProxy), so only the port is lost.
    EXPECT_EQ(eval_sample(*e, {}, {"192.0.2.7", 40001}), "192.0.2.7:");
}

TEST(SampleExpr, RulesRunInOrderAndSeeEarlierVariables) {
    auto e = parse_sample_expr("src_port,concat(/,txn.b)");
    ASSERT_TRUE(e.has_value());
    std::vector<SetVarRule> rules = {set_var("txn.a", "src"),
                                     set_var("txn.b", "src,concat(-,txn.a)"),
                                     set_var("txn.a", "src_port")};
    EXPECT_EQ(eval_sample(*e, rules, {"10.0.0.1", 80}), "80/10.0.0.1-10.0.0.1");
}

}  // namespace
}  // namespace octane::proxy::config
