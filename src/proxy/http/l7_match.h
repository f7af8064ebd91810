#pragma once

// The ACLs Octavia renders for L7 rules, compiled once from config words and evaluated per
// request: `acl <name> <fetch> [-i] [-m <method>] [--] <pattern>...`, and `if|unless` conditions
// over named or anonymous `{ ... }` ACLs.
//
// Supported fetches: req.hdr(name) / hdr(name) and hdr_{beg,end,sub,reg,dir,dom,len}(name)
// (comma-split values, every occurrence), req.fhdr(name) (whole values), path / path_* , url /
// url_*, req.cook(name) / cook(name) and their _* derivatives, method; predefined ACLs TRUE, FALSE,
// HTTP, HTTP_1.0, HTTP_1.1, METH_*. TLS fetches: ssl_fc, ssl_c_used / ssl_fc_has_crt (booleans:
// no pattern needed), ssl_c_verify (integer: `[eq|ne|lt|le|gt|ge] N`), ssl_c_s_dn[(entry)],
// ssl_c_i_dn, ssl_fc_sni (strings). Regexes use std::regex (ECMAScript, libstdc++'s
// non-backtracking executor so a long header cannot exhaust the stack); HAProxy uses PCRE, and
// libpcre2-dev is not installed here.

#include <cstdint>
#include <memory>
#include <regex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "proxy/http/header_map.h"
#include "proxy/http/http_message.h"
#include "proxy/http/tls_facts.h"

namespace octane::proxy::http {

// Config-time failures: Error.code is one of these, Error.message names the offending word.
enum class AclErrc : int { kSyntax = 1, kUnsupported = 2, kUnknownAcl = 3, kBadRegex = 4 };

enum class Fetch : uint8_t {
    kHdr,
    kFhdr,
    kPath,
    kUrl,
    kCookie,
    kMethod,
    kVersion,
    kConstant,
    // TLS (tls_facts.h): booleans, the verify result (integer), strings.
    kSslFc,
    kSslCUsed,
    kSslCVerify,
    kSslCSDn,
    kSslCIDn,
    kSslFcSni,
};
enum class MatchMethod : uint8_t { kStr, kBeg, kEnd, kSub, kReg, kFound, kDir, kDom, kLen };

// What the request offers besides its head; the session fills it.
struct ConnectionFacts {
    std::string_view src_ip;
    uint16_t src_port = 0;
    uint16_t dst_port = 0;
    bool ssl = false;
    const TlsFacts* tls = nullptr;  // set on TLS connections
};

// A request as the L7 rules see it: the parsed head, the header edits made so far by earlier
// http-request rules (HAProxy evaluates later ACLs on the edited head), the connection.
struct RequestContext {
    MessageView msg;
    const HeaderMap* headers;  // never null
    ConnectionFacts conn;
};

class Acl {
  public:
    // Compiles `fetch [flags] patterns...` (the words after "acl NAME", or inside `{ }`).
    static Result<Acl> compile(std::span<const std::string> words);
    // An ACL that always (or never) matches: TRUE / FALSE / HTTP.
    static Acl constant(bool value);
    bool matches(const RequestContext& req) const;

    Fetch fetch() const { return fetch_; }
    MatchMethod method() const { return method_; }
    bool ignore_case() const { return icase_; }
    std::string_view argument() const { return arg_; }
    const std::vector<std::string>& patterns() const { return patterns_; }

  private:
    bool match_sample(std::string_view sample) const;
    bool match_pattern(std::string_view sample, size_t index) const;
    bool match_integer(long value) const;
    bool matches_tls(const ConnectionFacts& conn) const;

    Fetch fetch_ = Fetch::kConstant;
    MatchMethod method_ = MatchMethod::kStr;
    bool icase_ = false;
    bool constant_ = false;  // for Fetch::kConstant
    std::string arg_;        // header or cookie name
    std::vector<std::string> patterns_;
    std::vector<std::shared_ptr<const std::regex>> regexes_;  // parallel to patterns_ for kReg
};

// Named ACLs of one frontend. Several `acl` lines with one name are ORed, as in HAProxy.
class AclTable {
  public:
    // `words` is a whole line: "acl", NAME, fetch, flags, patterns.
    Result<void> add_line(std::span<const std::string> words);
    Result<void> add(std::string_view name, std::span<const std::string> fetch_words);
    // Named ACL or predefined one (TRUE, METH_GET...); nullptr when unknown.
    const std::vector<Acl>* find(std::string_view name) const;

  private:
    struct Entry {
        std::string name;
        std::vector<Acl> acls;
    };
    // unique_ptr: conditions hold pointers to an entry's ACL list, and later `acl` lines with the
    // same name extend that list in place (HAProxy semantics), so entries must never move.
    std::vector<std::unique_ptr<Entry>> entries_;
};

// `if|unless t1 t2 || t3`: terms ANDed inside a group, groups ORed, `!` negates a term.
class Condition {
  public:
    // Always-true condition (a rule without if/unless).
    Condition() = default;
    // Parses `words` starting at "if"/"unless" up to the end. Named ACLs resolve against `table`
    // now (unknown names are errors, as in HAProxy); anonymous `{ ... }` ACLs are compiled here.
    static Result<Condition> parse(std::span<const std::string> words, const AclTable& table);
    bool evaluate(const RequestContext& req) const;
    bool present() const { return !groups_.empty(); }

  private:
    struct Term {
        bool negate = false;
        const std::vector<Acl>* named = nullptr;  // points into the AclTable (must outlive this)
        std::shared_ptr<const Acl> anonymous;
    };
    bool unless_ = false;
    std::vector<std::vector<Term>> groups_;
};

}  // namespace octane::proxy::http
