// Keyword table of the `global` section.

#include <charconv>
#include <string_view>

#include "proxy/config/line_context.h"
#include "proxy/config/values.h"

namespace octane::proxy::config {
namespace {

using Handler = void (*)(GlobalSection&, const LineContext&);

bool want_args(const LineContext& ctx, size_t n) {
    if (ctx.words.size() < n + 1) {
        ctx.error(ctx.kw() + " expects " + std::to_string(n) + " argument(s)");
        return false;
    }
    return true;
}

void kw_positive_int(const LineContext& ctx, int& out) {
    if (!want_args(ctx, 1)) {
        return;
    }
    auto v = parse_int(ctx.words[1]);
    if (!v || *v <= 0 || *v > 10'000'000) {
        ctx.error(ctx.kw() + " expects a positive integer, got '" + ctx.words[1] + "'");
        return;
    }
    out = static_cast<int>(*v);
}

void kw_stats(GlobalSection& g, const LineContext& ctx) {
    const auto& w = ctx.words;
    if (w.size() < 2) {
        ctx.error("'stats' expects 'socket', 'timeout' or 'maxconn'");
        return;
    }
    if (w[1] == "timeout" || w[1] == "maxconn") {
        if (w.size() < 3) {
            ctx.error("'stats " + w[1] + "' expects a value");
        }
        return;
    }
    if (w[1] != "socket") {
        ctx.error("'stats " + w[1] + "' is not supported");
        return;
    }
    if (w.size() < 3) {
        ctx.error("'stats socket' expects a path");
        return;
    }
    StatsSocket s;
    s.loc = ctx.loc;
    s.path = w[2];
    if (s.path.find(':') != std::string::npos && s.path[0] != '/') {
        ctx.error("'stats socket' on an IP address is not supported yet; use a UNIX socket path");
        return;
    }
    for (size_t i = 3; i < w.size(); ++i) {
        if ((w[i] == "mode" || w[i] == "level" || w[i] == "user" || w[i] == "group" ||
             w[i] == "uid" || w[i] == "gid") &&
            i + 1 >= w.size()) {
            ctx.error("'stats socket' option '" + w[i] + "' expects a value");
            return;
        }
        if (w[i] == "mode") {
            unsigned mode = 0;
            const std::string& m = w[++i];
            auto [ptr, ec] = std::from_chars(m.data(), m.data() + m.size(), mode, 8);
            if (ec != std::errc() || ptr != m.data() + m.size()) {
                ctx.error("'stats socket mode' expects an octal mode, got '" + m + "'");
            }
            s.mode = mode;
        } else if (w[i] == "level") {
            if (w[i + 1] != "user" && w[i + 1] != "operator" && w[i + 1] != "admin") {
                ctx.error("'stats socket level' expects user, operator or admin");
            }
            s.level = w[++i];
        } else if (w[i] == "user" || w[i] == "group" || w[i] == "uid" || w[i] == "gid") {
            ++i;
        } else if (w[i] == "expose-fd") {
            i += 1;
        } else {
            ctx.error("'stats socket' option '" + w[i] + "' is not supported");
        }
    }
    g.stats_sockets.push_back(std::move(s));
}

void kw_log(GlobalSection& g, const LineContext& ctx) {
    if (!want_args(ctx, 2)) {
        return;
    }
    g.log_targets.push_back(ctx.words[1]);
}

void kw_ignored_value(GlobalSection&, const LineContext& ctx) {
    want_args(ctx, 1);
}

const struct {
    std::string_view name;
    Handler handler;
} kGlobalKeywords[] = {
    {"daemon", [](GlobalSection& g, const LineContext&) { g.daemon = true; }},
    {"maxconn", [](GlobalSection& g, const LineContext& ctx) { kw_positive_int(ctx, g.maxconn); }},
    {"nbthread",
     [](GlobalSection& g, const LineContext& ctx) {
         kw_positive_int(ctx, g.nbthread);
         if (g.nbthread > 64) {
             ctx.error("'nbthread' is limited to 64");
         }
     }},
    {"user",
     [](GlobalSection& g, const LineContext& ctx) {
         if (want_args(ctx, 1)) {
             g.user = ctx.words[1];
         }
     }},
    {"group",
     [](GlobalSection& g, const LineContext& ctx) {
         if (want_args(ctx, 1)) {
             g.group = ctx.words[1];
         }
     }},
    {"log", kw_log},
    {"stats", kw_stats},
    {"server-state-file",
     [](GlobalSection& g, const LineContext& ctx) {
         if (want_args(ctx, 1)) {
             g.server_state_file = ctx.words[1];
         }
     }},
    {"external-check", [](GlobalSection& g, const LineContext&) { g.external_check = true; }},
    {"insecure-fork-wanted", [](GlobalSection&, const LineContext&) {}},
    {"pidfile", kw_ignored_value},
    {"chroot", kw_ignored_value},
    {"node", kw_ignored_value},
    {"description", kw_ignored_value},
    {"ulimit-n", kw_ignored_value},
    {"maxpipes", kw_ignored_value},
    {"hard-stop-after",
     [](GlobalSection& g, const LineContext& ctx) {
         if (want_args(ctx, 1)) {
             g.hard_stop_after = parse_duration(ctx.words[1]);
             if (!g.hard_stop_after) {
                 ctx.error("'hard-stop-after' expects a duration, got '" + ctx.words[1] + "'");
             }
         }
     }},
    {"localpeer", kw_ignored_value},
    {"cpu-map",
     [](GlobalSection&, const LineContext& ctx) {
         ctx.warning("'cpu-map' is accepted but not applied: threads are not pinned");
     }},
    {"tune.ssl.cachesize", kw_ignored_value},
    {"tune.bufsize", kw_ignored_value},
    {"tune.maxrewrite", kw_ignored_value},
    {"tune.http.maxhdr", kw_ignored_value},
    {"tune.sockmap",
     [](GlobalSection& g, const LineContext& ctx) {
         if (!want_args(ctx, 1)) {
             return;
         }
         if (ctx.words[1] != "on" && ctx.words[1] != "off") {
             ctx.error("'tune.sockmap' expects 'on' or 'off', got '" + ctx.words[1] + "'");
             return;
         }
         g.sockmap = ctx.words[1] == "on";
     }},
    {"tune.sockmap.max-queue",
     [](GlobalSection& g, const LineContext& ctx) {
         if (!want_args(ctx, 1)) {
             return;
         }
         // Compared modulo 2^32 with TCP sequence numbers in the kernel: at most 1 GiB.
         auto v = parse_size(ctx.words[1]);
         if (!v || *v < 64 * 1024 || *v > (1LL << 30)) {
             ctx.error("'tune.sockmap.max-queue' expects a size from 64k to 1g, got '" +
                       ctx.words[1] + "'");
             return;
         }
         g.sockmap_max_queue = static_cast<uint32_t>(*v);
     }},
};

}  // namespace

void parse_global_line(GlobalSection& global, const LineContext& ctx) {
    for (const auto& kw : kGlobalKeywords) {
        if (kw.name == ctx.words[0]) {
            kw.handler(global, ctx);
            return;
        }
    }
    ctx.error("unknown keyword '" + ctx.words[0] + "' in 'global' section");
}

void parse_peers_line(PeersSection& peers, const LineContext& ctx) {
    const auto& w = ctx.words;
    if (w[0] == "peer" || w[0] == "server") {
        if (w.size() < 3) {
            ctx.error("'" + w[0] + "' expects <name> <address:port>");
            return;
        }
        auto ep = parse_endpoint(w[2]);
        if (!ep) {
            ctx.error("'" + w[0] + "' " + ep.error().message);
            return;
        }
        peers.peers.push_back(PeerLine{ctx.loc, w[1], *ep});
        return;
    }
    if (w[0] == "bind" || w[0] == "table" || w[0] == "disabled" || w[0] == "enabled") {
        return;
    }
    ctx.error("unknown keyword '" + w[0] + "' in 'peers' section");
}

}  // namespace octane::proxy::config
