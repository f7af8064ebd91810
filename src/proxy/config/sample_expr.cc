#include "proxy/config/sample_expr.h"

#include <map>

namespace octane::proxy::config {
namespace {

// Splits on the commas that are outside parentheses: "a,b(c,d)" -> "a", "b(c,d)".
std::vector<std::string_view> split_top(std::string_view text, bool* balanced) {
    std::vector<std::string_view> out;
    int depth = 0;
    size_t start = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '(') {
            ++depth;
        } else if (text[i] == ')') {
            --depth;
            *balanced = *balanced && depth >= 0;
        } else if (text[i] == ',' && depth == 0) {
            out.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    }
    out.push_back(text.substr(start));
    *balanced = *balanced && depth == 0;
    return out;
}

bool valid_var(std::string_view name) {
    constexpr std::string_view kScope = "txn.";
    if (name.size() <= kScope.size() || name.substr(0, kScope.size()) != kScope) {
        return false;
    }
    for (char c : name.substr(kScope.size())) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '.';
        if (!ok) {
            return false;
        }
    }
    return true;
}

std::string var_error(std::string_view name) {
    return "variable '" + std::string(name) +
           "' is not supported: only transaction variables, 'txn.<name>' of letters, digits, "
           "'_' and '.'";
}

Result<SampleConcat> parse_concat(std::string_view args) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (size_t i = 0; i <= args.size(); ++i) {
        if (i == args.size() || args[i] == ',') {
            parts.push_back(args.substr(start, i - start));
            start = i + 1;
        }
    }
    if (parts.size() > 3) {
        return make_error(
            "'concat' takes at most 3 arguments ([<prefix>],[<variable>],[<suffix>])");
    }
    for (std::string_view p : parts) {
        if (p.find_first_of("()\"'\\") != std::string_view::npos) {
            return make_error("'concat' argument '" + std::string(p) + "' is not supported");
        }
    }
    SampleConcat c;
    c.prefix = std::string(parts[0]);
    if (parts.size() > 1 && !parts[1].empty()) {
        if (!valid_var(parts[1])) {
            return make_error(var_error(parts[1]));
        }
        c.var = std::string(parts[1]);
    }
    if (parts.size() > 2) {
        c.suffix = std::string(parts[2]);
    }
    return c;
}

std::string fetch(SampleFetch f, const SampleInput& in) {
    return f == SampleFetch::kSrc ? in.src : std::to_string(in.src_port);
}

std::string eval(const SampleExpr& expr, const std::map<std::string, std::string>& vars,
                 const SampleInput& in) {
    std::string out = fetch(expr.fetch, in);
    for (const SampleConcat& c : expr.concats) {
        out += c.prefix;
        if (auto it = vars.find(c.var); !c.var.empty() && it != vars.end()) {
            out += it->second;
        }
        out += c.suffix;
    }
    return out;
}

}  // namespace

Result<SampleExpr> parse_sample_expr(std::string_view text) {
    bool balanced = true;
    std::vector<std::string_view> parts = split_top(text, &balanced);
    if (!balanced) {
        return make_error("unbalanced parentheses in sample expression '" + std::string(text) +
                          "'");
    }
    SampleExpr expr;
    if (parts[0] == "src") {
        expr.fetch = SampleFetch::kSrc;
    } else if (parts[0] == "src_port") {
        expr.fetch = SampleFetch::kSrcPort;
    } else {
        return make_error("sample fetch '" + std::string(parts[0]) +
                          "' is not supported (src, src_port)");
    }
    for (size_t i = 1; i < parts.size(); ++i) {
        std::string_view conv = parts[i];
        constexpr std::string_view kConcat = "concat(";
        if (conv.size() <= kConcat.size() || conv.substr(0, kConcat.size()) != kConcat ||
            conv.back() != ')') {
            return make_error("converter '" + std::string(conv) + "' is not supported (concat)");
        }
        auto c = parse_concat(conv.substr(kConcat.size(), conv.size() - kConcat.size() - 1));
        if (!c) {
            return make_error(c.error().message);
        }
        expr.concats.push_back(std::move(*c));
    }
    return expr;
}

Result<std::string> parse_set_var_action(std::string_view word) {
    constexpr std::string_view kSetVar = "set-var(";
    if (word.substr(0, kSetVar.size()) != kSetVar) {
        return std::string();
    }
    if (word.back() != ')') {
        return make_error("'" + std::string(word) + "' expects 'set-var(<variable>)'");
    }
    std::string_view name = word.substr(kSetVar.size(), word.size() - kSetVar.size() - 1);
    if (!valid_var(name)) {
        return make_error(var_error(name));
    }
    return std::string(name);
}

std::string eval_sample(const SampleExpr& expr, const std::vector<SetVarRule>& rules,
                        const SampleInput& in) {
    std::map<std::string, std::string> vars;
    for (const SetVarRule& r : rules) {
        vars[r.var] = eval(r.expr, vars, in);
    }
    return eval(expr, vars, in);
}

}  // namespace octane::proxy::config
