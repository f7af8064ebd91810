#include "proxy/runtime/health_manager.h"

#include <cstdio>
#include <ctime>

#include "proxy/runtime/access_log.h"

namespace octane::proxy {

struct HealthManager::Binding final : public health::CheckReporter {
    BackendState* be = nullptr;
    ServerState* srv = nullptr;
    AccessLog* log = nullptr;
    std::unique_ptr<health::ServerChecker> checker;

    void on_check(const health::CheckOutcome& o, const health::RiseFall& m, bool changed) override {
        srv->check_health.store(m.health());
        srv->check_status.store(o.status);
        srv->check_code.store(o.code);
        srv->check_duration_ms.store(static_cast<int>(o.duration_ms));
        if (!o.passed) {
            srv->chkfail.fetch_add(1);
        }
        if (!changed || srv->status.load() == ServerStatus::kMaint) {
            return;
        }
        be->set_server_up(srv, m.up(), time(nullptr));
        char line[512];
        std::snprintf(line, sizeof(line),
                      "[WARNING] Server %s/%s is %s, reason: %s, code: %d, check duration: %lldms. "
                      "%d active and %d backup servers online.",
                      be->cfg->name.c_str(), srv->cfg->name.c_str(), m.up() ? "UP" : "DOWN",
                      o.passed ? "Layer7/4 check passed" : "check failed", o.code,
                      static_cast<long long>(o.duration_ms), be->active_up(), be->backup_up());
        std::fprintf(stderr, "%s\n", line);
        if (log != nullptr) {
            log->write_line(line);
        }
    }
};

HealthManager::HealthManager(EventLoop& loop, Snapshot& snap, AccessLog* log)
    : loop_(loop), snap_(snap), log_(log) {}

HealthManager::~HealthManager() = default;

Result<void> HealthManager::init() {
    for (auto& be : snap_.backends) {
        const config::ProxySection& p = *be->cfg;
        for (auto& srv : be->servers) {
            const config::ServerLine& sl = *srv->cfg;
            if (!sl.check) {
                continue;
            }
            health::CheckSpec spec;
            spec.kind = p.external_check    ? health::CheckKind::kExternal
                        : p.ssl_hello_check ? health::CheckKind::kSslHello
                        : p.httpchk.enabled ? health::CheckKind::kHttp
                                            : health::CheckKind::kTcp;
            spec.target = sl.endpoint;
            if (sl.check_addr) {
                spec.target = *sl.check_addr;
                spec.target.set_port(sl.endpoint.port());
            }
            if (sl.check_port > 0) {
                spec.target.set_port(static_cast<uint16_t>(sl.check_port));
            }
            spec.inter_ms = sl.inter.count();
            spec.fastinter_ms = sl.fastinter ? sl.fastinter->count() : spec.inter_ms;
            spec.downinter_ms = sl.downinter ? sl.downinter->count() : spec.inter_ms;
            // HAProxy: with `timeout check`, connect uses min(timeout connect, inter) and
            // `timeout check` bounds the response; without it, inter bounds both.
            int64_t connect = p.timeouts.connect ? p.timeouts.connect->count() : spec.inter_ms;
            spec.connect_timeout_ms =
                p.timeouts.check ? std::min(connect, spec.inter_ms) : spec.inter_ms;
            spec.read_timeout_ms = p.timeouts.check ? p.timeouts.check->count() : spec.inter_ms;
            spec.expect = std::make_shared<health::HttpExpect>();
            // ssl-hello-chk sends its own ClientHello in the clear; external checks run a program.
            if (spec.kind == health::CheckKind::kTcp || spec.kind == health::CheckKind::kHttp) {
                spec.tls = srv->check_tls;
            }
            if (spec.kind == health::CheckKind::kExternal) {
                // HAProxy's contract: <proxy_addr> <proxy_port> <server_addr> <server_port>,
                // NOT_USED for a backend without listeners, plus HAPROXY_* variables.
                std::string addr = spec.target.host_string();
                std::string port = std::to_string(spec.target.port());
                spec.argv = {p.external_command, "NOT_USED", "NOT_USED", addr, port};
                spec.env = {"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                            "HAPROXY_PROXY_NAME=" + p.name, "HAPROXY_SERVER_NAME=" + sl.name,
                            "HAPROXY_SERVER_ADDR=" + addr, "HAPROXY_SERVER_PORT=" + port};
            } else if (spec.kind == health::CheckKind::kSslHello) {
                spec.request = health::build_tls_client_hello();
            }
            if (spec.kind == health::CheckKind::kHttp) {
                spec.request = health::build_http_check_request(p.httpchk);
                std::string err;
                if (!spec.expect->init(p.httpchk, &err)) {
                    return make_error(p.name + ": http-check expect: " + err);
                }
            }
            auto b = std::make_unique<Binding>();
            b->be = be.get();
            b->srv = srv.get();
            b->log = log_;
            b->checker = std::make_unique<health::ServerChecker>(
                loop_, std::move(spec), health::RiseFall(sl.rise, sl.fall), *b);
            bindings_.push_back(std::move(b));
        }
    }
    return {};
}

void HealthManager::start() {
    size_t n = bindings_.size();
    for (size_t i = 0; i < n; ++i) {
        const auto& sl = *bindings_[i]->srv->cfg;
        if (bindings_[i]->srv->status.load() == ServerStatus::kMaint) {
            continue;
        }
        // Spread first probes over the interval, but start quickly: within 1/n of `inter`.
        int64_t delay =
            static_cast<int64_t>(i) * sl.inter.count() / static_cast<int64_t>(n * 4 + 1);
        bindings_[i]->checker->start(delay);
    }
}

}  // namespace octane::proxy
