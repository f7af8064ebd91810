#pragma once

// Sample expressions of `balance hash` and `set-var` (docs/haproxy-dialect.md §3): parsed from one
// word, and evaluated for one connection. Pure: no I/O, no state.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proxy/config/model.h"

namespace octane::proxy::config {

// "src,concat(:,txn.src_port)" -> SampleExpr; the error names what is not supported.
Result<SampleExpr> parse_sample_expr(std::string_view text);

// "set-var(txn.src_port)" -> "txn.src_port"; an empty result means the word is no set-var action.
// Errors when it is one but the variable name is not "txn.<name>".
Result<std::string> parse_set_var_action(std::string_view word);

// What one connection knows that the supported fetches read.
struct SampleInput {
    std::string src;  // the client address as text ("192.0.2.1", "2001:db8::1")
    uint16_t src_port = 0;
};

// The text of `expr` for `in`, after running `rules` in order (as HAProxy runs a backend's
// set-var rules before it balances). A variable no rule sets reads as empty, as in HAProxy.
std::string eval_sample(const SampleExpr& expr, const std::vector<SetVarRule>& rules,
                        const SampleInput& in);

}  // namespace octane::proxy::config
