#include "proxy/http/l7_rules.h"

#include <charconv>

#include "proxy/http/canned_responses.h"

namespace octane::proxy::http {
namespace {

Unexpected<Error> rule_error(AclErrc code, std::string message) {
    return make_error(std::move(message), static_cast<int>(code));
}

// Index of the first "if"/"unless" word, or words.size().
size_t condition_start(std::span<const std::string> words, size_t from) {
    for (size_t i = from; i < words.size(); ++i) {
        if (words[i] == "if" || words[i] == "unless") {
            return i;
        }
    }
    return words.size();
}

bool parse_int(std::string_view s, int* out) {
    auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && ptr == s.data() + s.size();
}

}  // namespace

Result<void> L7Rules::add_line(std::span<const std::string> words) {
    if (words.empty()) {
        return rule_error(AclErrc::kSyntax, "empty line");
    }
    const std::string& k = words[0];
    if (k == "acl") {
        return acls_.add_line(words);
    }
    if (k == "http-request") {
        return add_http_request(words);
    }
    if (k == "redirect") {
        return add_redirect(words);
    }
    if (k == "use_backend") {
        return add_use_backend(words);
    }
    if (k == "default_backend") {
        if (words.size() != 2) {
            return rule_error(AclErrc::kSyntax, "default_backend expects one backend name");
        }
        default_backend_ = words[1];
        return {};
    }
    return rule_error(AclErrc::kSyntax, "'" + k + "' is not an L7 rule keyword");
}

Result<void> L7Rules::add_http_request(std::span<const std::string> words) {
    if (words.size() < 2) {
        return rule_error(AclErrc::kSyntax, "http-request expects an action");
    }
    HttpRule rule;
    const std::string& action = words[1];
    size_t cond_at = condition_start(words, 2);
    std::span<const std::string> args = words.subspan(2, cond_at - 2);
    if (action == "deny") {
        rule.action = HttpAction::kDeny;
        if (args.size() == 2 && args[0] == "deny_status") {
            if (!parse_int(args[1], &rule.deny_status) || !is_deny_status(rule.deny_status)) {
                return rule_error(AclErrc::kSyntax, "bad deny_status '" + args[1] + "'");
            }
        } else if (!args.empty()) {
            return rule_error(AclErrc::kUnsupported,
                              "http-request deny option '" + args[0] + "' is not supported");
        }
    } else if (action == "reject" && args.empty()) {
        rule.action = HttpAction::kReject;
    } else if ((action == "set-header" || action == "add-header") && args.size() == 2) {
        rule.action = action == "set-header" ? HttpAction::kSetHeader : HttpAction::kAddHeader;
        rule.name = args[0];
        Result<std::vector<FormatPart>> fmt = compile_format(args[1]);
        if (!fmt) {
            return Unexpected(fmt.error());
        }
        rule.value = std::move(*fmt);
    } else if (action == "del-header" && args.size() == 1) {
        rule.action = HttpAction::kDelHeader;
        rule.name = args[0];
    } else if (action == "deny" || action == "reject" || action == "set-header" ||
               action == "add-header" || action == "del-header") {
        return rule_error(AclErrc::kSyntax, "wrong arguments for http-request " + action);
    } else {
        return rule_error(AclErrc::kUnsupported,
                          "http-request " + action + " is not supported yet");
    }
    Result<Condition> cond = Condition::parse(words.subspan(cond_at), acls_);
    if (!cond) {
        return Unexpected(cond.error());
    }
    rule.cond = std::move(*cond);
    http_rules_.push_back(std::move(rule));
    return {};
}

Result<void> L7Rules::add_redirect(std::span<const std::string> words) {
    RedirectRule r;
    bool have_kind = false;
    size_t cond_at = condition_start(words, 1);
    for (size_t i = 1; i < cond_at; ++i) {
        const std::string& w = words[i];
        bool has_arg = i + 1 < cond_at;
        if ((w == "location" || w == "prefix" || w == "scheme") && has_arg && !have_kind) {
            r.kind = w == "location" ? RedirectKind::kLocation
                     : w == "prefix" ? RedirectKind::kPrefix
                                     : RedirectKind::kScheme;
            r.value = words[++i];
            have_kind = true;
        } else if (w == "code" && has_arg) {
            if (!parse_int(words[++i], &r.code) ||
                (r.code != 301 && r.code != 302 && r.code != 303 && r.code != 307 &&
                 r.code != 308)) {
                return rule_error(AclErrc::kSyntax,
                                  "redirect code must be 301, 302, 303, 307 or 308");
            }
        } else if (w == "drop-query") {
            r.drop_query = true;
        } else if (w == "append-slash") {
            r.append_slash = true;
        } else if ((w == "set-cookie" || w == "clear-cookie") && has_arg) {
            r.cookie = words[++i];
            if (w == "clear-cookie") {
                r.cookie += "; Max-Age=0";
            }
        } else {
            return rule_error(AclErrc::kSyntax, "unexpected '" + w + "' in redirect");
        }
    }
    if (!have_kind) {
        return rule_error(AclErrc::kSyntax, "redirect expects location, prefix or scheme");
    }
    Result<Condition> cond = Condition::parse(words.subspan(cond_at), acls_);
    if (!cond) {
        return Unexpected(cond.error());
    }
    r.cond = std::move(*cond);
    redirects_.push_back(std::move(r));
    return {};
}

Result<void> L7Rules::add_use_backend(std::span<const std::string> words) {
    if (words.size() < 2 || words[1] == "if" || words[1] == "unless") {
        return rule_error(AclErrc::kSyntax, "use_backend expects a backend name");
    }
    if (words[1].find('%') != std::string::npos) {
        return rule_error(AclErrc::kUnsupported, "dynamic use_backend names are not supported");
    }
    if (words.size() > 2 && words[2] != "if" && words[2] != "unless") {
        return rule_error(AclErrc::kSyntax, "unexpected '" + words[2] + "' in use_backend");
    }
    Result<Condition> cond = Condition::parse(words.subspan(2), acls_);
    if (!cond) {
        return Unexpected(cond.error());
    }
    switches_.push_back(SwitchRule{words[1], std::move(*cond)});
    return {};
}

}  // namespace octane::proxy::http
