#include "keymanager/octavia_tls_refs.h"

namespace octane::keymanager {
namespace {

using nlohmann::json;

std::string text(const json& attrs, const char* key) {
    if (attrs.contains(key) && attrs[key].is_string()) {
        return attrs[key].get<std::string>();
    }
    return "";
}

// CertificateRetrievalException(ref=[...]) prints the Python list.
model::ApiResult<void> retrieval_failure(const std::vector<std::string>& refs) {
    std::string list = "[";
    for (const auto& ref : refs) {
        list += (list.size() > 1 ? ", '" : "'") + ref + "'";
    }
    return model::api_error(400, "Could not retrieve certificate: " + list + "]");
}

model::ApiResult<void> check_certs(CertManager& certs, const Subject& subject,
                                   const std::vector<std::string>& refs) {
    std::vector<std::string> bad;
    for (const auto& ref : refs) {
        auto bundle = certs.get_cert(subject, ref);
        if (!bundle && bundle.error().code == kUnreadablePkcs12) {
            return model::api_error(
                400,
                "The PKCS12 bundle is unreadable. Please check the PKCS12 bundle validity. In "
                "addition, make sure it does not require a pass phrase. Error: " +
                    bundle.error().message);
        }
        if (!bundle) {
            bad.push_back(ref);
        } else if (bundle->names.empty()) {
            return model::api_error(
                400, "No CN or DNSName(s) found in certificate. The certificate is invalid.");
        }
    }
    if (!bad.empty()) {
        return retrieval_failure(bad);
    }
    return {};
}

model::ApiResult<void> check_ca_and_crl(CertManager& certs, const Subject& subject,
                                        const std::string& ca_ref, const std::string& crl_ref) {
    std::vector<std::string> bad;
    auto ca = certs.get_secret(subject, ca_ref);
    if (!ca) {
        bad.push_back(ca_ref);
    }
    Result<std::string> crl = std::string();
    if (!crl_ref.empty()) {
        crl = certs.get_secret(subject, crl_ref);
        if (!crl) {
            bad.push_back(crl_ref);
        }
    }
    if (!bad.empty()) {
        return retrieval_failure(bad);
    }
    if (auto ok = check_ca_pem(*ca); !ok) {
        return model::validation_failure(
            "The client authentication CA certificate is invalid. It must be a valid x509 PEM "
            "format certificate. Error: " +
            ok.error().message);
    }
    if (crl_ref.empty()) {
        return {};
    }
    bool signed_by_ca = false;
    if (auto ok = check_crl_pem(*crl, *ca, &signed_by_ca); !ok) {
        return model::validation_failure(
            "The client authentication certificate revocation list is invalid. It must be a "
            "valid x509 PEM format certificate revocation list. Error: " +
            ok.error().message);
    }
    if (!signed_by_ca) {
        return model::validation_failure(
            "The CRL specified is not valid for client certificate authority reference "
            "supplied.");
    }
    return {};
}

}  // namespace

model::ApiResult<void> check_tls_refs(CertManager& certs, const Subject& subject, const json& attrs,
                                      bool is_pool) {
    std::vector<std::string> refs;
    if (!is_pool) {
        for (const auto& sni : attrs.value("sni_container_refs", json::array())) {
            if (sni.is_string()) {
                refs.push_back(sni.get<std::string>());
            }
        }
    }
    if (auto ref = text(attrs, is_pool ? "tls_container_ref" : "default_tls_container_ref");
        !ref.empty()) {
        refs.push_back(ref);
    }
    if (auto ok = check_certs(certs, subject, refs); !ok) {
        return ok;
    }
    const std::string ca =
        text(attrs, is_pool ? "ca_tls_container_ref" : "client_ca_tls_container_ref");
    if (ca.empty()) {
        return {};
    }
    return check_ca_and_crl(
        certs, subject, ca,
        text(attrs, is_pool ? "crl_container_ref" : "client_crl_container_ref"));
}

}  // namespace octane::keymanager
