// `server` and `bind` lines: an address followed by keyword options.

#include <string_view>

#include "proxy/config/line_context.h"
#include "proxy/config/values.h"

namespace octane::proxy::config {
namespace {

bool take_value(const LineContext& ctx, size_t& i, std::string& out) {
    if (i + 1 >= ctx.words.size()) {
        ctx.error("'" + ctx.words[0] + "' option '" + ctx.words[i] + "' expects an argument");
        return false;
    }
    out = ctx.words[++i];
    return true;
}

bool take_int(const LineContext& ctx, size_t& i, int& out, long long min, long long max) {
    std::string v;
    const std::string kw = ctx.words[i];
    if (!take_value(ctx, i, v)) {
        return false;
    }
    auto n = parse_int(v);
    if (!n || *n < min || *n > max) {
        ctx.error("'" + ctx.words[0] + "' option '" + kw + "' expects an integer in [" +
                  std::to_string(min) + ", " + std::to_string(max) + "], got '" + v + "'");
        return false;
    }
    out = static_cast<int>(*n);
    return true;
}

bool take_duration(const LineContext& ctx, size_t& i, Millis& out) {
    std::string v;
    const std::string kw = ctx.words[i];
    if (!take_value(ctx, i, v)) {
        return false;
    }
    auto d = parse_duration(v);
    if (!d || d->count() == 0) {
        ctx.error("'server' option '" + kw + "' expects a positive duration, got '" + v + "'");
        return false;
    }
    out = *d;
    return true;
}

}  // namespace

void parse_server_line(ProxySection& proxy, const LineContext& ctx) {
    const auto& w = ctx.words;
    if (w.size() < 3) {
        ctx.error("'server' expects <name> and <addr:port>");
        return;
    }
    ServerLine s;
    s.loc = ctx.loc;
    s.name = w[1];
    auto ep = parse_endpoint(w[2]);
    if (!ep) {
        ctx.error("'server " + s.name + "' : " + ep.error().message);
        return;
    }
    s.endpoint = *ep;
    for (size_t i = 3; i < w.size(); ++i) {
        const std::string& o = w[i];
        std::string v;
        if (o == "weight") {
            take_int(ctx, i, s.weight, 0, 256);
        } else if (o == "check") {
            s.check = true;
        } else if (o == "inter") {
            take_duration(ctx, i, s.inter);
        } else if (o == "fastinter" || o == "downinter") {
            Millis d{0};
            if (take_duration(ctx, i, d)) {
                (o == "fastinter" ? s.fastinter : s.downinter) = d;
            }
        } else if (o == "fall") {
            take_int(ctx, i, s.fall, 1, 100000);
        } else if (o == "rise") {
            take_int(ctx, i, s.rise, 1, 100000);
        } else if (o == "addr") {
            if (take_value(ctx, i, v)) {
                auto a = parse_ip(v);
                if (!a) {
                    ctx.error("'server " + s.name + "' option 'addr': " + a.error().message);
                } else {
                    s.check_addr = *a;
                }
            }
        } else if (o == "port") {
            take_int(ctx, i, s.check_port, 1, 65535);
        } else if (o == "backup") {
            s.backup = true;
        } else if (o == "disabled") {
            s.disabled = true;
        } else if (o == "enabled") {
            s.disabled = false;
        } else if (o == "cookie") {
            take_value(ctx, i, s.cookie);
        } else if (o == "send-proxy") {
            s.send_proxy = ProxyProtocol::kV1;
        } else if (o == "send-proxy-v2") {
            s.send_proxy = ProxyProtocol::kV2;
        } else if (o == "maxconn") {
            take_int(ctx, i, s.maxconn, 0, 10'000'000);
        } else if (o == "check-ssl") {
            s.check_ssl = true;
        } else if (o == "no-check-ssl") {
            s.check_ssl = false;
        } else if (o == "check-alpn") {
            take_value(ctx, i, s.check_alpn);
        } else if (o == "send-proxy-v2-ssl-cn") {
            ctx.error("'server " + s.name + "' : 'send-proxy-v2-ssl-cn' is not supported yet");
        } else if (parse_tls_option(ctx, i, s.tls, false)) {
        } else {
            ctx.error("'server " + s.name + "' : unknown option '" + o + "'");
            break;  // what follows cannot be interpreted reliably (HAProxy stops here too)
        }
    }
    for (const auto& other : proxy.servers) {
        if (other.name == s.name) {
            ctx.error("'server " + s.name + "' : duplicate server name (first at " +
                      other.loc.str() + ")");
        }
    }
    proxy.servers.push_back(std::move(s));
}

void parse_bind_line(ProxySection& proxy, const LineContext& ctx) {
    const auto& w = ctx.words;
    if (w.size() < 2) {
        ctx.error("'bind' expects <addr:port>");
        return;
    }
    BindLine b;
    b.loc = ctx.loc;
    // "addr:port[,addr:port...]"; each becomes its own listener.
    std::vector<Endpoint> endpoints;
    size_t start = 0;
    const std::string& list = w[1];
    while (start <= list.size()) {
        size_t comma = list.find(',', start);
        std::string one =
            list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        auto ep = parse_endpoint(one);
        if (!ep) {
            ctx.error("'bind' : " + ep.error().message);
            return;
        }
        endpoints.push_back(*ep);
        if (comma == std::string::npos) {
            break;
        }
        start = comma + 1;
    }
    for (size_t i = 2; i < w.size(); ++i) {
        const std::string& o = w[i];
        if (o == "backlog") {
            take_int(ctx, i, b.backlog, 1, 1'000'000);
        } else if (o == "name") {
            take_value(ctx, i, b.name);
        } else if (parse_tls_option(ctx, i, b.tls, true)) {
        } else if (o == "transparent" || o == "defer-accept" || o == "v4v6" || o == "v6only") {
        } else {
            ctx.error("'bind " + w[1] + "' : unknown option '" + o + "'");
            break;
        }
    }
    for (const auto& ep : endpoints) {
        b.endpoint = ep;
        proxy.binds.push_back(b);
    }
}

}  // namespace octane::proxy::config
