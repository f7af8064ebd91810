#include "proxy/http/l7_match.h"

#include <algorithm>
#include <charconv>

namespace octane::proxy::http {
namespace {

Unexpected<Error> acl_error(AclErrc code, std::string message) {
    return make_error(std::move(message), static_cast<int>(code));
}

struct FetchSpec {
    Fetch fetch;
    MatchMethod method;
    std::string arg;
};

// Derivative suffix (`_beg`, `_reg`...) to its match method.
bool suffix_method(std::string_view suffix, MatchMethod* m) {
    static constexpr std::pair<std::string_view, MatchMethod> kSuffixes[] = {
        {"", MatchMethod::kStr},     {"_beg", MatchMethod::kBeg}, {"_end", MatchMethod::kEnd},
        {"_sub", MatchMethod::kSub}, {"_reg", MatchMethod::kReg}, {"_dir", MatchMethod::kDir},
        {"_dom", MatchMethod::kDom}, {"_len", MatchMethod::kLen},
    };
    for (const auto& [text, method] : kSuffixes) {
        if (suffix == text) {
            *m = method;
            return true;
        }
    }
    return false;
}

bool method_from_name(std::string_view name, MatchMethod* m) {
    if (name == "found") {
        *m = MatchMethod::kFound;
        return true;
    }
    if (name == "str") {
        *m = MatchMethod::kStr;
        return true;
    }
    std::string with_underscore = "_" + std::string(name);
    return !name.empty() && suffix_method(with_underscore, m);
}

struct TlsFetchName {
    std::string_view name;
    Fetch fetch;
    bool takes_arg;
};
constexpr TlsFetchName kTlsFetches[] = {
    {"ssl_fc", Fetch::kSslFc, false},
    {"ssl_c_used", Fetch::kSslCUsed, false},
    {"ssl_fc_has_crt", Fetch::kSslCUsed, false},
    {"ssl_c_verify", Fetch::kSslCVerify, false},
    {"ssl_c_s_dn", Fetch::kSslCSDn, true},
    {"ssl_c_i_dn", Fetch::kSslCIDn, false},
    {"ssl_fc_sni", Fetch::kSslFcSni, false},
};

bool is_tls_fetch(std::string_view base) {
    return base.substr(0, 4) == "ssl_" || base == "req.ssl_sni";
}

// "hdr_beg(Host)" -> base "hdr_beg", arg "Host"; refuses an occurrence argument ("hdr(x,2)").
Result<FetchSpec> parse_fetch(std::string_view word) {
    std::string_view base = word;
    std::string arg;
    if (size_t open = word.find('('); open != std::string_view::npos) {
        if (word.back() != ')') {
            return acl_error(AclErrc::kSyntax, "missing ')' in fetch '" + std::string(word) + "'");
        }
        base = word.substr(0, open);
        arg = std::string(word.substr(open + 1, word.size() - open - 2));
    }
    if (is_tls_fetch(base)) {
        for (const auto& t : kTlsFetches) {
            if (t.name == base && (t.takes_arg || arg.empty())) {
                return FetchSpec{t.fetch, MatchMethod::kStr, std::move(arg)};
            }
        }
        return acl_error(AclErrc::kUnsupported,
                         "fetch '" + std::string(word) + "' is not supported yet");
    }
    if (arg.find(',') != std::string::npos) {
        return acl_error(AclErrc::kUnsupported, "fetch occurrence argument in '" +
                                                    std::string(word) + "' is not supported");
    }
    static constexpr std::pair<std::string_view, Fetch> kFamilies[] = {
        {"req.hdr", Fetch::kHdr}, {"hdr", Fetch::kHdr},       {"req.fhdr", Fetch::kFhdr},
        {"path", Fetch::kPath},   {"url", Fetch::kUrl},       {"req.cook", Fetch::kCookie},
        {"cook", Fetch::kCookie}, {"method", Fetch::kMethod}, {"req.ver", Fetch::kVersion},
    };
    for (const auto& [family, fetch] : kFamilies) {
        if (base.substr(0, family.size()) != family) {
            continue;
        }
        MatchMethod m = MatchMethod::kStr;
        if (!suffix_method(base.substr(family.size()), &m)) {
            continue;
        }
        bool needs_arg = fetch == Fetch::kHdr || fetch == Fetch::kFhdr || fetch == Fetch::kCookie;
        if (needs_arg == arg.empty()) {
            return acl_error(AclErrc::kUnsupported,
                             needs_arg ? "fetch '" + std::string(word) + "' needs a name argument"
                                       : "fetch '" + std::string(word) + "' takes no argument");
        }
        return FetchSpec{fetch, m, std::move(arg)};
    }
    return acl_error(AclErrc::kUnsupported, "fetch '" + std::string(word) + "' is not supported");
}

Result<std::shared_ptr<const std::regex>> compile_regex(const std::string& pattern, bool icase) {
    auto flags = std::regex::ECMAScript;
#if defined(_GLIBCXX_RELEASE)
    // libstdc++ extension: the Thompson-NFA executor, whose recursion depth does not grow with the
    // subject length (the default backtracking one can overflow the stack on a 15 KB header).
    flags |= std::regex_constants::__polynomial;
#endif
    if (icase) {
        flags |= std::regex::icase;
    }
    // std::regex reports bad patterns by throwing; this is the one boundary where we catch it.
    try {
        return std::make_shared<const std::regex>(pattern, flags);
    } catch (const std::regex_error& e) {
        return acl_error(AclErrc::kBadRegex, "invalid regex '" + pattern + "': " + e.what());
    }
}

}  // namespace

Result<Acl> Acl::compile(std::span<const std::string> words) {
    if (words.empty()) {
        return acl_error(AclErrc::kSyntax, "acl expects a fetch");
    }
    Result<FetchSpec> spec = parse_fetch(words[0]);
    if (!spec) {
        return Unexpected(spec.error());
    }
    Acl acl;
    acl.fetch_ = spec->fetch;
    acl.method_ = spec->method;
    acl.arg_ = std::move(spec->arg);
    size_t i = 1;
    for (; i < words.size() && words[i].size() > 1 && words[i][0] == '-'; ++i) {
        const std::string& flag = words[i];
        if (flag == "--") {
            ++i;
            break;
        }
        if (flag == "-i") {
            acl.icase_ = true;
        } else if (flag == "-n") {
            // "no DNS resolution" is the default for us: nothing to do.
        } else if (flag == "-m") {
            if (i + 1 >= words.size() || !method_from_name(words[i + 1], &acl.method_)) {
                return acl_error(AclErrc::kUnsupported,
                                 "unsupported match method after '-m' in acl '" + words[0] + "'");
            }
            ++i;
        } else if (flag == "-f" || flag == "-M" || flag == "-u") {
            return acl_error(AclErrc::kUnsupported, "acl flag '" + flag + "' is not supported yet");
        } else {
            break;  // a pattern that happens to start with '-'
        }
    }
    acl.patterns_.assign(words.begin() + static_cast<std::ptrdiff_t>(i), words.end());
    // Booleans match when true without a pattern, as in HAProxy (`acl x ssl_c_used`).
    bool boolean = acl.fetch_ == Fetch::kSslFc || acl.fetch_ == Fetch::kSslCUsed;
    if (boolean && acl.patterns_.empty()) {
        acl.method_ = MatchMethod::kFound;
    }
    if (acl.fetch_ == Fetch::kSslCVerify) {
        // `[eq|ne|lt|le|gt|ge] N`, or N alone for equality.
        auto& p = acl.patterns_;
        static constexpr std::string_view kOps[] = {"eq", "ne", "lt", "le", "gt", "ge"};
        bool op =
            p.size() == 2 && std::find(std::begin(kOps), std::end(kOps), p[0]) != std::end(kOps);
        const std::string& number = p.empty() ? std::string() : p.back();
        bool numeric =
            !number.empty() && number.find_first_not_of("-0123456789") == std::string::npos;
        if (!numeric || (p.size() != 1 && !op)) {
            return acl_error(AclErrc::kSyntax,
                             "acl 'ssl_c_verify' expects '[eq|ne|lt|le|gt|ge] <integer>'");
        }
        return acl;
    }
    if (acl.method_ == MatchMethod::kFound && !acl.patterns_.empty()) {
        return acl_error(AclErrc::kSyntax, "'-m found' takes no pattern");
    }
    if (acl.method_ != MatchMethod::kFound && acl.patterns_.empty()) {
        return acl_error(AclErrc::kSyntax, "acl '" + words[0] + "' has no pattern");
    }
    if (acl.method_ == MatchMethod::kReg) {
        for (const std::string& p : acl.patterns_) {
            Result<std::shared_ptr<const std::regex>> re = compile_regex(p, acl.icase_);
            if (!re) {
                return Unexpected(re.error());
            }
            acl.regexes_.push_back(std::move(*re));
        }
    }
    return acl;
}

Acl Acl::constant(bool value) {
    Acl acl;
    acl.fetch_ = Fetch::kConstant;
    acl.method_ = MatchMethod::kFound;
    acl.constant_ = value;
    return acl;
}

}  // namespace octane::proxy::http
