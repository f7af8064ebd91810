#include "proxy/config/parser.h"

#include <fstream>
#include <sstream>

#include "proxy/config/line_context.h"
#include "proxy/config/tokenizer.h"

namespace octane::proxy::config {
namespace {

enum class Current { kNone, kGlobal, kDefaults, kProxy, kPeers, kUserlist };

struct ParserState {
    Config& config;
    Diagnostics& diag;
    ProxySection defaults;  // the last `defaults` seen, copied into each new proxy
    Current current = Current::kNone;
};

bool open_section(ParserState& st, const LineContext& ctx) {
    const auto& w = ctx.words;
    const std::string& kw = w[0];
    if (kw == "global") {
        st.current = Current::kGlobal;
        return true;
    }
    if (kw == "defaults") {
        // A new defaults section starts from scratch (HAProxy resets, then inherits nothing).
        st.defaults = ProxySection{};
        st.defaults.loc = ctx.loc;
        if (w.size() > 1) {
            st.defaults.name = w[1];
        }
        st.current = Current::kDefaults;
        return true;
    }
    if (kw == "frontend" || kw == "backend" || kw == "listen") {
        if (w.size() < 2) {
            ctx.error("'" + kw + "' expects <name> as an argument");
            st.current = Current::kNone;
            return true;
        }
        ProxySection p = st.defaults;
        p.loc = ctx.loc;
        p.name = w[1];
        p.kind = kw == "frontend"  ? SectionKind::kFrontend
                 : kw == "backend" ? SectionKind::kBackend
                                   : SectionKind::kListen;
        for (const auto& other : st.config.proxies) {
            bool clash = other.name == p.name && ((other.has_frontend() && p.has_frontend()) ||
                                                  (other.has_backend() && p.has_backend()));
            if (clash) {
                ctx.error("'" + kw + "' '" + p.name +
                          "' has the same name as another proxy declared at " + other.loc.str());
            }
        }
        if (w.size() > 2) {
            ctx.error("'" + kw + "' takes only a name; unexpected '" + w[2] + "'");
        }
        st.config.proxies.push_back(std::move(p));
        st.current = Current::kProxy;
        return true;
    }
    if (kw == "peers") {
        PeersSection ps;
        ps.loc = ctx.loc;
        if (w.size() < 2) {
            ctx.error("'peers' expects <name> as an argument");
        } else {
            ps.name = w[1];
        }
        st.config.peers.push_back(std::move(ps));
        st.current = Current::kPeers;
        return true;
    }
    if (kw == "userlist" || kw == "resolvers" || kw == "cache" || kw == "program" ||
        kw == "http-errors" || kw == "ring" || kw == "mailers") {
        ctx.error("section '" + kw + "' is not supported yet");
        st.current = Current::kUserlist;
        return true;
    }
    return false;
}

void parse_line(ParserState& st, const LineContext& ctx) {
    if (open_section(st, ctx)) {
        return;
    }
    switch (st.current) {
        case Current::kNone:
            ctx.error("unknown keyword '" + ctx.words[0] + "' out of section");
            return;
        case Current::kGlobal:
            parse_global_line(st.config.global, ctx);
            return;
        case Current::kDefaults:
            parse_proxy_line(st.defaults, ctx);
            return;
        case Current::kProxy:
            parse_proxy_line(st.config.proxies.back(), ctx);
            return;
        case Current::kPeers:
            parse_peers_line(st.config.peers.back(), ctx);
            return;
        case Current::kUserlist:
            return;  // already reported at the section header
    }
}

}  // namespace

ParseOutput parse_config(const std::vector<SourceFile>& files) {
    ParseOutput out;
    ParserState st{out.config, out.diag, ProxySection{}, Current::kNone};
    for (const auto& file : files) {
        st.current = Current::kNone;
        std::istringstream in(file.text);
        std::string line;
        Location loc{file.name, 0};
        while (std::getline(in, line)) {
            ++loc.line;
            auto words = tokenize_line(line);
            if (!words) {
                out.diag.error(loc, words.error().message);
                continue;
            }
            if (words->empty()) {
                continue;
            }
            LineContext ctx{loc, *words, out.diag};
            parse_line(st, ctx);
        }
    }
    validate_config(out.config, out.diag);
    return out;
}

ParseOutput parse_config_files(const std::vector<std::string>& paths) {
    std::vector<SourceFile> files;
    ParseOutput failed;
    for (const auto& path : paths) {
        std::ifstream f(path, std::ios::binary);
        if (!f) {
            failed.diag.error(path + ": cannot open configuration file");
            continue;
        }
        std::ostringstream ss;
        ss << f.rdbuf();
        files.push_back(SourceFile{path, ss.str()});
    }
    if (!failed.diag.ok()) {
        return failed;
    }
    if (files.empty()) {
        failed.diag.error("no configuration file (use -f FILE)");
        return failed;
    }
    return parse_config(files);
}

}  // namespace octane::proxy::config
