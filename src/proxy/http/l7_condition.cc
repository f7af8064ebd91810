// Named ACL table and if/unless conditions.

#include <array>

#include "proxy/http/l7_match.h"

namespace octane::proxy::http {
namespace {

Unexpected<Error> cond_error(AclErrc code, std::string message) {
    return make_error(std::move(message), static_cast<int>(code));
}

struct Predefined {
    std::string_view name;
    std::vector<Acl> acls;
};

// HAProxy's predefined ACLs that make sense without TLS or L4 fetches (configuration.txt §7.4).
const std::vector<Predefined>& predefined() {
    static const std::vector<Predefined> table = [] {
        auto from = [](std::string_view name, std::vector<std::string> words) {
            Result<Acl> acl = Acl::compile(words);
            return Predefined{name, {std::move(*acl)}};
        };
        std::vector<Predefined> t;
        t.push_back(Predefined{"TRUE", {Acl::constant(true)}});
        t.push_back(Predefined{"FALSE", {Acl::constant(false)}});
        t.push_back(Predefined{"HTTP", {Acl::constant(true)}});
        t.push_back(from("HTTP_1.0", {"req.ver", "1.0"}));
        t.push_back(from("HTTP_1.1", {"req.ver", "1.1"}));
        t.push_back(from("METH_CONNECT", {"method", "CONNECT"}));
        t.push_back(from("METH_DELETE", {"method", "DELETE"}));
        t.push_back(from("METH_GET", {"method", "GET", "HEAD"}));
        t.push_back(from("METH_HEAD", {"method", "HEAD"}));
        t.push_back(from("METH_OPTIONS", {"method", "OPTIONS"}));
        t.push_back(from("METH_POST", {"method", "POST"}));
        t.push_back(from("METH_PUT", {"method", "PUT"}));
        t.push_back(from("METH_TRACE", {"method", "TRACE"}));
        return t;
    }();
    return table;
}

}  // namespace

Result<void> AclTable::add_line(std::span<const std::string> words) {
    if (words.size() < 3 || words[0] != "acl") {
        return cond_error(AclErrc::kSyntax, "expected 'acl <name> <fetch> [flags] [patterns]'");
    }
    return add(words[1], words.subspan(2));
}

Result<void> AclTable::add(std::string_view name, std::span<const std::string> fetch_words) {
    Result<Acl> acl = Acl::compile(fetch_words);
    if (!acl) {
        return Unexpected(acl.error());
    }
    for (auto& e : entries_) {
        if (e->name == name) {
            e->acls.push_back(std::move(*acl));
            return {};
        }
    }
    auto entry = std::make_unique<Entry>();
    entry->name = std::string(name);
    entry->acls.push_back(std::move(*acl));
    entries_.push_back(std::move(entry));
    return {};
}

const std::vector<Acl>* AclTable::find(std::string_view name) const {
    for (const auto& e : entries_) {
        if (e->name == name) {
            return &e->acls;
        }
    }
    for (const Predefined& p : predefined()) {
        if (p.name == name) {
            return &p.acls;
        }
    }
    return nullptr;
}

Result<Condition> Condition::parse(std::span<const std::string> words, const AclTable& table) {
    Condition c;
    if (words.empty()) {
        return c;
    }
    if (words[0] != "if" && words[0] != "unless") {
        return cond_error(AclErrc::kSyntax, "expected 'if' or 'unless', got '" + words[0] + "'");
    }
    c.unless_ = words[0] == "unless";
    c.groups_.emplace_back();
    for (size_t i = 1; i < words.size(); ++i) {
        std::string_view w = words[i];
        if (w == "||" || w == "or") {
            if (c.groups_.back().empty()) {
                return cond_error(AclErrc::kSyntax, "empty condition before '||'");
            }
            c.groups_.emplace_back();
            continue;
        }
        Term t;
        if (w == "!") {
            t.negate = true;
            if (++i >= words.size()) {
                return cond_error(AclErrc::kSyntax, "missing acl after '!'");
            }
            w = words[i];
        } else if (w.size() > 1 && w[0] == '!') {
            t.negate = true;
            w.remove_prefix(1);
        }
        if (w == "{") {
            size_t close = i + 1;
            while (close < words.size() && words[close] != "}") {
                ++close;
            }
            if (close >= words.size()) {
                return cond_error(AclErrc::kSyntax, "missing '}' in anonymous acl");
            }
            Result<Acl> acl = Acl::compile(words.subspan(i + 1, close - i - 1));
            if (!acl) {
                return Unexpected(acl.error());
            }
            t.anonymous = std::make_shared<const Acl>(std::move(*acl));
            i = close;
        } else {
            t.named = table.find(w);
            if (t.named == nullptr) {
                return cond_error(AclErrc::kUnknownAcl, "no such ACL: '" + std::string(w) + "'");
            }
        }
        c.groups_.back().push_back(std::move(t));
    }
    if (c.groups_.back().empty()) {
        return cond_error(AclErrc::kSyntax, "empty condition");
    }
    return c;
}

bool Condition::evaluate(const RequestContext& req) const {
    if (groups_.empty()) {
        return true;
    }
    bool any = false;
    for (const auto& group : groups_) {
        bool all = true;
        for (const Term& t : group) {
            bool hit = false;
            if (t.anonymous) {
                hit = t.anonymous->matches(req);
            } else {
                for (const Acl& acl : *t.named) {
                    if (acl.matches(req)) {
                        hit = true;
                        break;
                    }
                }
            }
            if (hit == t.negate) {
                all = false;
                break;
            }
        }
        if (all) {
            any = true;
            break;
        }
    }
    return any != unless_;
}

}  // namespace octane::proxy::http
