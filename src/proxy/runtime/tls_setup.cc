#include "proxy/runtime/tls_setup.h"

#include "proxy/tls/tls_context.h"

namespace octane::proxy {
namespace {

// Builds every context of `cfg`; `snap` (when given) keeps them.
std::vector<std::string> build_all(const config::Config& cfg, Snapshot* snap) {
    std::vector<std::string> errors;
    for (const auto& p : cfg.proxies) {
        if (p.has_frontend()) {
            for (const auto& b : p.binds) {
                if (!b.tls.ssl) {
                    continue;
                }
                auto fe = tls::FrontendTls::build(b.tls);
                if (!fe) {
                    errors.push_back(b.loc.str() + ": 'bind " + b.endpoint.to_string() +
                                     "' : " + fe.error().message);
                } else if (snap != nullptr) {
                    snap->bind_tls[&b] = fe->get();
                    snap->frontend_tls.push_back(std::move(*fe));
                }
            }
        }
        if (!p.has_backend()) {
            continue;
        }
        for (const auto& s : p.servers) {
            bool checks_tls = s.check && (s.tls.ssl || s.check_ssl);
            if (!s.tls.ssl && !checks_tls) {
                continue;
            }
            auto be = tls::BackendTls::build(s.tls);
            if (!be) {
                errors.push_back(s.loc.str() + ": 'server " + s.name + "' : " + be.error().message);
                continue;
            }
            if (snap == nullptr) {
                continue;
            }
            for (auto& bs : snap->backends) {
                if (bs->cfg != &p) {
                    continue;
                }
                for (auto& st : bs->servers) {
                    if (st->cfg == &s) {
                        st->tls = s.tls.ssl ? be->get() : nullptr;
                        st->check_tls = checks_tls ? be->get() : nullptr;
                    }
                }
            }
            snap->backend_tls.push_back(std::move(*be));
        }
    }
    return errors;
}

}  // namespace

std::vector<std::string> check_tls_files(const config::Config& cfg) {
    return build_all(cfg, nullptr);
}

std::vector<std::string> attach_tls(Snapshot& snap) {
    return build_all(snap.config, &snap);
}

}  // namespace octane::proxy
