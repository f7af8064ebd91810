#include "drivers/tls_upload.h"

#include <vector>

#include "render/tls_files.h"

namespace octane::drivers {
namespace {

using nlohmann::json;

std::string ref_of(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

Result<void> upload_tls_files(const TlsSource& source, const json& load_balancer,
                              const std::string& cert_dir_of_lb, render::RenderContext& ctx,
                              const CertificatePut& put) {
    const std::string project = load_balancer.value("project_id", "");
    // One file per distinct content; the name is its digest, so a re-upload is idempotent.
    auto ship = [&](const std::string& ref, bool bundle) -> Result<std::string> {
        auto pem = source(project, ref, bundle);
        if (!pem) {
            return make_error("TLS ref " + ref + ": " + pem.error().message);
        }
        const std::string name = render::secret_file_name(*pem);
        if (auto done = put(name, *pem); !done) {
            return Unexpected(done.error());
        }
        return name;
    };
    auto ship_secret = [&](const std::string& ref, bool bundle) -> Result<void> {
        if (ref.empty()) {
            return {};
        }
        auto name = ship(ref, bundle);
        if (!name) {
            return Unexpected(name.error());
        }
        ctx.secret_files.emplace_back(ref, *name);
        return {};
    };
    for (const auto& listener : load_balancer.value("listeners", json::array())) {
        std::vector<std::string> refs;
        if (auto ref = ref_of(listener, "default_tls_container_ref"); !ref.empty()) {
            refs.push_back(ref);
        }
        for (const auto& sni : listener.value("sni_container_refs", json::array())) {
            if (sni.is_string()) {
                refs.push_back(sni.get<std::string>());
            }
        }
        if (!refs.empty()) {
            std::vector<std::string> names;
            for (const auto& ref : refs) {
                auto name = ship(ref, true);
                if (!name) {
                    return Unexpected(name.error());
                }
                names.push_back(*name);
            }
            const std::string crt_list = listener.value("id", "") + ".pem";
            if (auto done = put(crt_list, render::crt_list_text(cert_dir_of_lb, names)); !done) {
                return done;
            }
        }
        for (const char* key : {"client_ca_tls_container_ref", "client_crl_container_ref"}) {
            if (auto done = ship_secret(ref_of(listener, key), false); !done) {
                return done;
            }
        }
    }
    for (const auto& pool : load_balancer.value("pools", json::array())) {
        if (auto done = ship_secret(ref_of(pool, "tls_container_ref"), true); !done) {
            return done;
        }
        for (const char* key : {"ca_tls_container_ref", "crl_container_ref"}) {
            if (auto done = ship_secret(ref_of(pool, key), false); !done) {
                return done;
            }
        }
    }
    return {};
}

}  // namespace octane::drivers
