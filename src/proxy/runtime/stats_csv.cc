#include "proxy/runtime/stats_csv.h"

#include <ctime>
#include <string_view>
#include <vector>

#include "proxy/sockmap/sockmap.h"

namespace octane::proxy {
namespace {

constexpr std::string_view kColumns[] = {
    "pxname",
    "svname",
    "qcur",
    "qmax",
    "scur",
    "smax",
    "slim",
    "stot",
    "bin",
    "bout",
    "dreq",
    "dresp",
    "ereq",
    "econ",
    "eresp",
    "wretr",
    "wredis",
    "status",
    "weight",
    "act",
    "bck",
    "chkfail",
    "chkdown",
    "lastchg",
    "downtime",
    "qlimit",
    "pid",
    "iid",
    "sid",
    "throttle",
    "lbtot",
    "tracked",
    "type",
    "rate",
    "rate_lim",
    "rate_max",
    "check_status",
    "check_code",
    "check_duration",
    "hrsp_1xx",
    "hrsp_2xx",
    "hrsp_3xx",
    "hrsp_4xx",
    "hrsp_5xx",
    "hrsp_other",
    "hanafail",
    "req_rate",
    "req_rate_max",
    "req_tot",
    "cli_abrt",
    "srv_abrt",
    "comp_in",
    "comp_out",
    "comp_byp",
    "comp_rsp",
    "lastsess",
    "last_chk",
    "last_agt",
    "qtime",
    "ctime",
    "rtime",
    "ttime",
    "agent_status",
    "agent_code",
    "agent_duration",
    "check_desc",
    "agent_desc",
    "check_rise",
    "check_fall",
    "check_health",
    "agent_rise",
    "agent_fall",
    "agent_health",
    "addr",
    "cookie",
    "mode",
    "algo",
    "conn_rate",
    "conn_rate_max",
    "conn_tot",
    "intercepted",
    "dcon",
    "dses",
    "wrew",
    "connect",
    "reuse",
    "cache_lookups",
    "cache_hits",
    "srv_icur",
    "src_ilim",
    "qtime_max",
    "ctime_max",
    "rtime_max",
    "ttime_max",
    "eint",
    "idle_conn_cur",
    "safe_conn_cur",
    "used_conn_cur",
    "need_conn_est",
    "uweight",
    "agg_server_status",
    "agg_server_check_status",
    "agg_check_status",
    "-",
    "ssl_sess",
    "ssl_reused_sess",
    "ssl_failed_handshake",
    "h2_headers_rcvd",
    "h2_data_rcvd",
    "h2_settings_rcvd",
    "h2_rst_stream_rcvd",
    "h2_goaway_rcvd",
    "h2_detected_conn_protocol_errors",
    "h2_detected_strm_protocol_errors",
    "h2_rst_stream_resp",
    "h2_goaway_resp",
    "h2_open_connections",
    "h2_backend_open_streams",
    "h2_total_connections",
    "h2_backend_total_streams",
    "h1_open_connections",
    "h1_open_streams",
    "h1_total_connections",
    "h1_total_streams",
    "h1_bytes_in",
    "h1_bytes_out",
    "h1_spliced_bytes_in",
    "h1_spliced_bytes_out",
};
constexpr size_t kNumColumns = sizeof(kColumns) / sizeof(kColumns[0]);

const char* mode_name(const config::ProxySection& p) {
    return p.mode == config::Mode::kHttp ? "http" : "tcp";
}

void common_traffic(StatRow& r, const Counters& c) {
    r.set("scur", c.scur).set("smax", c.smax).set("stot", c.stot).set("bin", c.bin);
    r.set("bout", c.bout);
}

void http_counters(StatRow& r, const Counters& c) {
    r.set("hrsp_1xx", c.hrsp[0]).set("hrsp_2xx", c.hrsp[1]).set("hrsp_3xx", c.hrsp[2]);
    r.set("hrsp_4xx", c.hrsp[3]).set("hrsp_5xx", c.hrsp[4]).set("hrsp_other", c.hrsp[5]);
    r.set("req_tot", c.req_tot);
}

StatRow frontend_row(const FrontendState& fe, const ProcessInfo& info) {
    StatRow r;
    r.set("pxname", fe.cfg->name).set("svname", "FRONTEND");
    common_traffic(r, fe.counters);
    r.set("slim", fe.maxconn).set("dreq", fe.counters.dreq).set("dresp", fe.counters.dresp);
    r.set("ereq", fe.counters.ereq).set("status", info.stopping ? "STOP" : "OPEN");
    r.set("pid", 1).set("iid", fe.iid).set("sid", 0).set("type", 0);
    r.set("rate", 0).set("rate_lim", 0).set("rate_max", 0).set("mode", mode_name(*fe.cfg));
    r.set("conn_tot", fe.counters.stot).set("intercepted", fe.counters.intercepted);
    if (fe.cfg->mode == config::Mode::kHttp) {
        http_counters(r, fe.counters);
    }
    return r;
}

StatRow server_row(const BackendState& be, const ServerState& s, int64_t now) {
    const config::ServerLine& sl = *s.cfg;
    StatRow r;
    r.set("pxname", be.cfg->name).set("svname", sl.name).set("qcur", 0).set("qmax", 0);
    common_traffic(r, s.counters);
    if (sl.maxconn > 0) {
        r.set("slim", sl.maxconn);
    }
    r.set("dresp", s.counters.dresp).set("econ", s.counters.econ).set("eresp", s.counters.eresp);
    r.set("wretr", s.counters.wretr).set("wredis", s.counters.wredis);
    r.set("status", server_status_text(s)).set("weight", s.weight.load());
    r.set("act", sl.backup ? 0 : 1).set("bck", sl.backup ? 1 : 0);
    r.set("lastchg", now - s.last_change.load()).set("pid", 1).set("iid", be.iid);
    r.set("sid", s.puid).set("lbtot", s.counters.lbtot).set("type", 2);
    r.set("rate", 0).set("rate_max", 0).set("cli_abrt", s.counters.cli_abrt);
    r.set("srv_abrt", s.counters.srv_abrt);
    int64_t last = s.counters.last_sess.load();
    r.set("lastsess", last == 0 ? -1 : now - last);
    if (sl.check) {
        r.set("chkfail", s.chkfail)
            .set("chkdown", s.chkdown)
            .set("downtime", s.downtime_ms.load() / 1000);
        r.set("check_status", s.check_status.load());
        if (s.check_code.load() > 0) {
            r.set("check_code", s.check_code.load());
        }
        if (s.check_duration_ms.load() >= 0) {
            r.set("check_duration", s.check_duration_ms.load());
        }
        r.set("check_rise", sl.rise)
            .set("check_fall", sl.fall)
            .set("check_health", s.check_health.load());
    }
    r.set("addr", sl.endpoint.to_string()).set("cookie", sl.cookie).set("mode", mode_name(*be.cfg));
    r.set("uweight", s.weight.load());
    if (be.cfg->mode == config::Mode::kHttp) {
        http_counters(r, s.counters);
    }
    return r;
}

StatRow backend_row(const BackendState& be, int64_t now) {
    StatRow r;
    r.set("pxname", be.cfg->name).set("svname", "BACKEND").set("qcur", 0).set("qmax", 0);
    common_traffic(r, be.counters);
    r.set("slim", be.cfg->fullconn).set("dreq", be.counters.dreq).set("dresp", be.counters.dresp);
    r.set("econ", be.counters.econ).set("eresp", be.counters.eresp);
    r.set("wretr", be.counters.wretr).set("wredis", be.counters.wredis);
    int act = be.active_up(), bck = be.backup_up();
    r.set("status", act + bck > 0 ? "UP" : "DOWN").set("weight", be.total_weight_up());
    r.set("act", act).set("bck", bck).set("lastchg", now - be.last_change.load());
    r.set("pid", 1).set("iid", be.iid).set("sid", 0).set("lbtot", be.counters.lbtot);
    r.set("type", 1).set("rate", 0).set("rate_max", 0).set("mode", mode_name(*be.cfg));
    r.set("algo", std::string(balance::name_of(be.cfg->balance)));
    int64_t last = be.counters.last_sess.load();
    r.set("lastsess", last == 0 ? -1 : now - last);
    r.set("cli_abrt", be.counters.cli_abrt).set("srv_abrt", be.counters.srv_abrt);
    if (be.cfg->mode == config::Mode::kHttp) {
        http_counters(r, be.counters);
    }
    return r;
}

}  // namespace

StatRow::StatRow() : fields_(kNumColumns) {}

StatRow& StatRow::set(std::string_view column, std::string value) {
    for (size_t i = 0; i < kNumColumns; ++i) {
        if (kColumns[i] == column) {
            fields_[i] = std::move(value);
            break;
        }
    }
    return *this;
}

const std::string& StatRow::get(std::string_view column) const {
    static const std::string kEmpty;
    for (size_t i = 0; i < kNumColumns; ++i) {
        if (kColumns[i] == column) {
            return fields_[i];
        }
    }
    return kEmpty;
}

void StatRow::append_to(std::string& out) const {
    for (const auto& f : fields_) {
        out += f;
        out += ',';
    }
    out += '\n';
}

std::string server_status_text(const ServerState& s) {
    const config::ServerLine& sl = *s.cfg;
    ServerStatus st = s.status.load();
    if (st == ServerStatus::kMaint) {
        return "MAINT";
    }
    if (!sl.check) {
        return st == ServerStatus::kUp ? "no check" : "DOWN";
    }
    int h = s.check_health.load();
    if (st == ServerStatus::kUp) {
        if (h >= sl.rise + sl.fall - 1 || h < sl.rise) {
            return "UP";
        }
        return "UP " + std::to_string(h - sl.rise + 1) + "/" + std::to_string(sl.fall);
    }
    if (h == 0) {
        return "DOWN";
    }
    return "DOWN " + std::to_string(h) + "/" + std::to_string(sl.rise);
}

std::vector<StatRow> stat_rows(const Snapshot& snap, const ProcessInfo& info) {
    std::vector<StatRow> rows;
    int64_t now = time(nullptr);
    for (const auto& p : snap.config.proxies) {
        for (const auto& fe : snap.frontends) {
            if (fe->cfg == &p) {
                rows.push_back(frontend_row(*fe, info));
            }
        }
        for (const auto& be : snap.backends) {
            if (be->cfg != &p) {
                continue;
            }
            for (const auto& s : be->servers) {
                rows.push_back(server_row(*be, *s, now));
            }
            rows.push_back(backend_row(*be, now));
        }
    }
    return rows;
}

std::string render_show_stat(const Snapshot& snap, const ProcessInfo& info) {
    std::string out = "# ";
    for (size_t i = 0; i < kNumColumns; ++i) {
        out += kColumns[i];
        out += ',';
    }
    out += '\n';
    for (const auto& row : stat_rows(snap, info)) {
        row.append_to(out);
    }
    out += '\n';
    return out;
}

std::string render_show_info(const Snapshot& snap, const ProcessInfo& info) {
    int64_t up = time(nullptr) - snap.start_unix;
    char uptime[64];
    std::snprintf(uptime, sizeof(uptime), "%lldd %lldh%02lldm%02llds",
                  static_cast<long long>(up / 86400), static_cast<long long>(up / 3600 % 24),
                  static_cast<long long>(up / 60 % 60), static_cast<long long>(up % 60));
    std::string o;
    auto kv = [&o](const char* k, const std::string& v) { o += std::string(k) + ": " + v + "\n"; };
    kv("Name", "octane-proxy");
    kv("Version", "0.1.0");
    kv("Nbthread", std::to_string(info.nbthread));
    kv("Nbproc", "1");
    kv("Process_num", "1");
    kv("Pid", std::to_string(info.pid));
    kv("Uptime", uptime);
    kv("Uptime_sec", std::to_string(up));
    kv("Ulimit-n", std::to_string(info.ulimit_n));
    kv("Maxsock", std::to_string(info.ulimit_n));
    kv("Maxconn", std::to_string(info.maxconn));
    kv("Hard_maxconn", std::to_string(info.maxconn));
    kv("CurrConns", std::to_string(snap.cur_conns.load()));
    kv("CumConns", std::to_string(snap.cum_conns.load()));
    int64_t req = 0;
    for (const auto& fe : snap.frontends) {
        req += fe->counters.req_tot.load();
    }
    kv("CumReq", std::to_string(req));
    kv("Stopping", info.stopping ? "1" : "0");
    kv("Listeners", std::to_string(info.listeners));
    kv("DroppedLogs", std::to_string(info.dropped_logs));
    kv("Start_time_sec", std::to_string(snap.start_unix));
    // The L4 kernel fast path (tune.sockmap): sessions whose bytes the kernel forwards.
    const Sockmap* sm = snap.sockmap;
    kv("Sockmap", sm != nullptr ? "1" : "0");
    kv("SockmapSessions", std::to_string(sm != nullptr ? sm->counters().active.load() : 0));
    kv("SockmapCumSessions", std::to_string(sm != nullptr ? sm->counters().total.load() : 0));
    kv("SockmapRefused", std::to_string(sm != nullptr ? sm->counters().refused.load() : 0));
    // Directions the backlog bound handed back to user space (a destination that read too slowly).
    kv("SockmapPassed", std::to_string(sm != nullptr ? sm->counters().passed.load() : 0));
    kv("SockmapSources", std::to_string(sm != nullptr ? sm->sources() : 0));
    o += "\n";
    return o;
}

}  // namespace octane::proxy
