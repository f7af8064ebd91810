// keepalived's block syntax as Octavia writes it: words separated by blanks, "quoted" words,
// `{`/`}` blocks, `#`/`!` comments to the end of the line. The id comments Octavia writes are
// kept as tokens of their own so they attach to the object that follows them.

#include <charconv>
#include <functional>
#include <map>

#include "proxy/udp/lvs_config.h"

namespace octane::proxy::udp {
namespace {

struct Token {
    enum Kind { kWord, kOpen, kClose, kIdComment } kind = kWord;
    std::string text;     // the word, or for kIdComment the object kind ("Member", ...)
    std::string id;       // kIdComment: the object's id
    bool enabled = true;  // kIdComment: "... is disabled"
    int line = 0;
};

// "# Configuration for <Kind> <id>" or "# <Kind> <id> is disabled".
std::optional<Token> id_comment(std::string_view body, int line) {
    auto words = std::vector<std::string>{};
    size_t i = 0;
    while (i < body.size()) {
        while (i < body.size() && (body[i] == ' ' || body[i] == '\t')) {
            ++i;
        }
        size_t start = i;
        while (i < body.size() && body[i] != ' ' && body[i] != '\t') {
            ++i;
        }
        if (i > start) {
            words.emplace_back(body.substr(start, i - start));
        }
    }
    if (words.size() == 4 && words[0] == "Configuration" && words[1] == "for") {
        return Token{Token::kIdComment, words[2], words[3], true, line};
    }
    if (words.size() == 4 && words[2] == "is" && words[3] == "disabled") {
        return Token{Token::kIdComment, words[0], words[1], false, line};
    }
    return std::nullopt;
}

std::vector<Token> tokenize(std::string_view text, const std::string& file,
                            std::vector<std::string>& errors) {
    std::vector<Token> out;
    int line = 1;
    size_t i = 0;
    while (i < text.size()) {
        char c = text[i];
        if (c == '\n') {
            ++line;
            ++i;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            ++i;
        } else if (c == '#' || c == '!') {
            size_t end = text.find('\n', i);
            if (end == std::string_view::npos) {
                end = text.size();
            }
            if (auto t = id_comment(text.substr(i + 1, end - i - 1), line)) {
                out.push_back(std::move(*t));
            }
            i = end;
        } else if (c == '{' || c == '}') {
            out.push_back(
                Token{c == '{' ? Token::kOpen : Token::kClose, std::string(1, c), "", true, line});
            ++i;
        } else if (c == '"') {
            size_t end = text.find('"', i + 1);
            size_t eol = text.find('\n', i + 1);
            if (end == std::string_view::npos || (eol != std::string_view::npos && eol < end)) {
                errors.push_back(file + ":" + std::to_string(line) + ": unterminated quote");
                i = eol == std::string_view::npos ? text.size() : eol;
                continue;
            }
            out.push_back(
                Token{Token::kWord, std::string(text.substr(i + 1, end - i - 1)), "", true, line});
            i = end + 1;
        } else {
            size_t start = i;
            while (i < text.size() && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
                   text[i] != '\r' && text[i] != '{' && text[i] != '}' && text[i] != '"') {
                ++i;
            }
            out.push_back(
                Token{Token::kWord, std::string(text.substr(start, i - start)), "", true, line});
        }
    }
    return out;
}

std::optional<int> to_int(const std::string& s, int min, int max) {
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v < min || v > max) {
        return std::nullopt;
    }
    return v;
}

class Parser {
  public:
    Parser(std::vector<Token> tokens, std::string file, LvsParseResult& out)
        : t_(std::move(tokens)), file_(std::move(file)), out_(out) {}

    void parse_top() {
        while (pos_ < t_.size()) {
            const Token& tok = t_[pos_];
            if (tok.kind == Token::kIdComment) {
                take_top_comment(tok);
                ++pos_;
            } else if (tok.kind != Token::kWord) {
                error(tok.line, "unexpected '" + tok.text + "'");
                ++pos_;
            } else if (tok.text == "net_namespace") {
                ++pos_;
                if (auto v = value(tok)) {
                    out_.config.net_namespace = *v;
                }
            } else if (tok.text == "virtual_server_group") {
                ++pos_;
                parse_group(tok);
            } else if (tok.text == "virtual_server") {
                ++pos_;
                parse_virtual_server(tok);
            } else {
                error(tok.line, "unknown keyword '" + tok.text +
                                    "' (only the keepalived LVS keywords Octavia renders are "
                                    "supported)");
                skip_statement();
            }
        }
    }

  private:
    void error(int line, const std::string& msg) {
        out_.errors.push_back(file_ + ":" + std::to_string(line) + ": " + msg);
    }

    void take_top_comment(const Token& c) {
        if (c.text == "Loadbalancer") {
            out_.config.loadbalancer_id = c.id;
        } else if (c.text == "Listener") {
            out_.config.listener_id = c.id;
            out_.config.listener_enabled = c.enabled;
        }
    }

    // One word on the same line as its keyword.
    std::optional<std::string> value(const Token& keyword) {
        if (pos_ < t_.size() && t_[pos_].kind == Token::kWord && t_[pos_].line == keyword.line) {
            return t_[pos_++].text;
        }
        error(keyword.line, "'" + keyword.text + "' expects a value");
        return std::nullopt;
    }

    std::optional<int> int_value(const Token& keyword, int min, int max) {
        auto v = value(keyword);
        if (!v) {
            return std::nullopt;
        }
        auto n = to_int(*v, min, max);
        if (!n) {
            error(keyword.line, "'" + keyword.text + "' expects an integer between " +
                                    std::to_string(min) + " and " + std::to_string(max) +
                                    ", not '" + *v + "'");
        }
        return n;
    }

    // Skips the rest of an unknown statement: its words on the line, and a block if it opens one.
    void skip_statement() {
        int line = t_[pos_].line;
        ++pos_;
        while (pos_ < t_.size() && t_[pos_].kind == Token::kWord && t_[pos_].line == line) {
            ++pos_;
        }
        if (pos_ < t_.size() && t_[pos_].kind == Token::kOpen) {
            int depth = 0;
            for (; pos_ < t_.size(); ++pos_) {
                depth += t_[pos_].kind == Token::kOpen    ? 1
                         : t_[pos_].kind == Token::kClose ? -1
                                                          : 0;
                if (depth == 0) {
                    ++pos_;
                    return;
                }
            }
        }
    }

    bool open(const Token& keyword) {
        if (pos_ < t_.size() && t_[pos_].kind == Token::kOpen) {
            ++pos_;
            return true;
        }
        error(keyword.line, "'" + keyword.text + "' expects a '{' block");
        return false;
    }

    // Runs `statement` for each statement of a block up to its '}'; false when the file ends.
    void block(const Token& keyword, const std::function<void(const Token&)>& statement) {
        while (pos_ < t_.size()) {
            const Token& tok = t_[pos_];
            if (tok.kind == Token::kClose) {
                ++pos_;
                return;
            }
            if (tok.kind == Token::kOpen) {
                error(tok.line, "unexpected '{'");
                ++pos_;
                continue;
            }
            statement(tok);
        }
        error(keyword.line, "block of '" + keyword.text + "' is not closed");
    }

    // The statements of a keyword's block: `known` handles one (its keyword consumed) and says
    // whether it knew it; the others are reported as unknown in the block.
    void keyword_block(const Token& keyword, const std::function<bool(const Token&)>& known) {
        block(keyword, [&](const Token& tok) {
            if (tok.kind != Token::kWord) {
                ++pos_;
                return;
            }
            ++pos_;
            if (!known(tok)) {
                --pos_;
                unknown(tok, keyword.text);
            }
        });
    }

    void unknown(const Token& tok, const std::string& where) {
        if (tok.kind == Token::kIdComment) {
            ++pos_;
            return;
        }
        error(tok.line, "unknown keyword '" + tok.text + "' in " + where);
        skip_statement();
    }

    void parse_group(const Token& keyword) {
        auto name = value(keyword);
        if (!name || !open(keyword)) {
            return;
        }
        auto& vips = groups_[*name];
        keyword_block(keyword, [&](const Token& tok) {
            auto port = int_value(tok, 1, 65535);
            if (port) {
                vips.push_back({tok.text, static_cast<uint16_t>(*port)});
            }
            return true;
        });
    }

    void parse_virtual_server(const Token& keyword) {
        VirtualServer vs;
        vs.line = keyword.line;
        auto first = value(keyword);
        if (!first) {
            return;
        }
        if (*first == "group") {
            auto name = value(keyword);
            if (!name) {
                return;
            }
            auto it = groups_.find(*name);
            if (it == groups_.end()) {
                error(keyword.line, "unknown virtual_server_group '" + *name + "'");
            } else {
                vs.vips = it->second;
            }
        } else {
            auto port = int_value(keyword, 1, 65535);
            if (port) {
                vs.vips.push_back({*first, static_cast<uint16_t>(*port)});
            }
        }
        if (!open(keyword)) {
            return;
        }
        std::string member_id;
        block(keyword, [&](const Token& tok) {
            if (tok.kind == Token::kIdComment) {
                if (tok.text == "Pool") {
                    vs.pool_id = tok.id;
                    vs.pool_enabled = tok.enabled;
                } else if (tok.text == "HealthMonitor") {
                    vs.health_monitor_id = tok.id;
                } else if (tok.text == "Member") {
                    member_id = tok.enabled ? tok.id : "";
                }
                ++pos_;
                return;
            }
            ++pos_;
            const std::string& k = tok.text;
            if (k == "lb_algo" || k == "lvs_sched") {
                if (auto v = value(tok)) {
                    if (*v != "rr" && *v != "wrr" && *v != "lc" && *v != "wlc" && *v != "sh") {
                        error(tok.line, "lb_algo '" + *v +
                                            "' is not supported (rr, wrr, lc, "
                                            "wlc, sh)");
                    }
                    vs.lb_algo = *v;
                }
            } else if (k == "sh-port") {
                vs.sh_port = true;
            } else if (k == "lb_kind" || k == "lvs_method") {
                if (auto v = value(tok); v && *v != "NAT") {
                    error(tok.line, "lb_kind '" + *v + "' is not supported (NAT)");
                }
            } else if (k == "protocol") {
                if (auto v = value(tok)) {
                    if (*v != "UDP" && *v != "SCTP") {
                        error(tok.line, "protocol '" + *v + "' is not supported (UDP, SCTP)");
                    }
                    vs.protocol = *v;
                }
            } else if (k == "persistence_timeout") {
                vs.persistence_timeout_s = int_value(tok, 1, 86400 * 30).value_or(0);
            } else if (k == "persistence_granularity") {
                vs.persistence_granularity = value(tok).value_or("");
            } else if (k == "delay_loop") {
                vs.delay_loop_s = int_value(tok, 1, 86400).value_or(0);
            } else if (k == "delay_before_retry") {
                vs.delay_before_retry_s = int_value(tok, 0, 86400).value_or(0);
            } else if (k == "retry") {
                vs.retry = int_value(tok, 1, 1000).value_or(0);
            } else if (k == "real_server") {
                RealServer rs;
                rs.member_id = member_id;
                member_id.clear();
                parse_real_server(tok, rs);
                vs.real_servers.push_back(std::move(rs));
            } else {
                --pos_;
                unknown(tok, "virtual_server");
            }
        });
        out_.config.virtual_servers.push_back(std::move(vs));
    }

    void parse_real_server(const Token& keyword, RealServer& rs) {
        rs.line = keyword.line;
        auto address = value(keyword);
        auto port = int_value(keyword, 1, 65535);
        if (!address || !port || !open(keyword)) {
            return;
        }
        rs.address = *address;
        rs.port = static_cast<uint16_t>(*port);
        keyword_block(keyword, [&](const Token& tok) {
            const std::string& k = tok.text;
            if (k == "weight") {
                rs.weight = int_value(tok, 0, 256).value_or(1);
            } else if (k == "uthreshold") {
                rs.uthreshold = int_value(tok, 0, 1'000'000'000).value_or(0);
            } else if (k == "MISC_CHECK") {
                parse_misc_check(tok, rs);
            } else if (k == "TCP_CHECK" || k == "HTTP_GET") {
                rs.check = k == "TCP_CHECK" ? CheckKind::kTcp : CheckKind::kHttpGet;
                parse_connect_check(tok, rs);
            } else {
                return false;
            }
            return true;
        });
    }

    // misc_path is Octavia's udp_check.sh or `amphora-health-checker sctp`; the engine runs
    // their checks itself, so only those two commands are understood.
    void parse_misc_check(const Token& keyword, RealServer& rs) {
        if (!open(keyword)) {
            return;
        }
        keyword_block(keyword, [&](const Token& tok) {
            if (tok.text == "misc_timeout") {
                rs.check_timeout_s = int_value(tok, 1, 86400).value_or(0);
            } else if (tok.text == "misc_path") {
                auto path = value(tok);
                if (path) {
                    take_misc_path(tok, *path, rs);
                }
            } else {
                return false;
            }
            return true;
        });
    }

    void take_misc_path(const Token& tok, const std::string& path, RealServer& rs) {
        std::vector<std::string> words;
        size_t i = 0;
        while (i < path.size()) {
            size_t end = path.find(' ', i);
            end = end == std::string::npos ? path.size() : end;
            if (end > i) {
                words.push_back(path.substr(i, end - i));
            }
            i = end + 1;
        }
        auto ends_with = [](const std::string& s, std::string_view tail) {
            return s.size() >= tail.size() &&
                   s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
        };
        bool udp = words.size() == 3 && ends_with(words[0], "udp_check.sh");
        bool sctp = words.size() >= 4 && words[0] == "amphora-health-checker" && words[1] == "sctp";
        auto port = words.size() >= 3 ? to_int(words.back(), 1, 65535) : std::nullopt;
        if ((!udp && !sctp) || !port) {
            error(tok.line, "misc_path '" + path +
                                "' is not supported (Octavia's udp_check.sh <ip> <port> or "
                                "amphora-health-checker sctp [-t <timeout>] <ip> <port>)");
            return;
        }
        rs.check = udp ? CheckKind::kUdpConnect : CheckKind::kSctp;
        rs.check_address = words[words.size() - 2];
        rs.check_port = static_cast<uint16_t>(*port);
    }

    void parse_connect_check(const Token& keyword, RealServer& rs) {
        if (!open(keyword)) {
            return;
        }
        keyword_block(keyword, [&](const Token& tok) {
            const std::string& k = tok.text;
            if (k == "connect_ip") {
                rs.check_address = value(tok).value_or("");
            } else if (k == "connect_port") {
                rs.check_port = static_cast<uint16_t>(int_value(tok, 1, 65535).value_or(0));
            } else if (k == "connect_timeout") {
                rs.check_timeout_s = int_value(tok, 1, 86400).value_or(0);
            } else if (k == "url" && rs.check == CheckKind::kHttpGet) {
                parse_url(tok, rs);
            } else {
                return false;
            }
            return true;
        });
    }

    void parse_url(const Token& keyword, RealServer& rs) {
        if (!open(keyword)) {
            return;
        }
        keyword_block(keyword, [&](const Token& tok) {
            if (tok.text == "path") {
                rs.url_path = value(tok).value_or("/");
            } else if (tok.text == "status_code") {
                if (auto code = int_value(tok, 100, 599)) {
                    rs.status_codes.push_back(*code);
                }
            } else {
                return false;
            }
            return true;
        });
    }

    std::vector<Token> t_;
    size_t pos_ = 0;
    std::string file_;
    LvsParseResult& out_;
    std::map<std::string, std::vector<VirtualServer::Vip>> groups_;
};

}  // namespace

LvsParseResult parse_lvs_config(std::string_view text, const std::string& file) {
    LvsParseResult result;
    auto tokens = tokenize(text, file, result.errors);
    Parser(std::move(tokens), file, result).parse_top();
    return result;
}

}  // namespace octane::proxy::udp
