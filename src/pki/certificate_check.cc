#include "pki/certificate_check.h"

#include <fstream>
#include <sstream>

#include <openssl/x509_vfy.h>

#include "pki/openssl_handles.h"

namespace octane::pki {

Result<void> verify_certificate(const std::string& cert_pem, const std::string& ca_pem,
                                TimePoint at, const std::optional<std::string>& expected_host) {
    auto cert = x509_from_pem(cert_pem);
    if (!cert) {
        return Unexpected(cert.error());
    }
    auto ca = x509_from_pem(ca_pem);
    if (!ca) {
        return Unexpected(ca.error());
    }
    X509_STORE* store = X509_STORE_new();
    X509_STORE_CTX* ctx = X509_STORE_CTX_new();
    Result<void> outcome;
    if (store == nullptr || ctx == nullptr || X509_STORE_add_cert(store, ca->get()) != 1 ||
        X509_STORE_CTX_init(ctx, store, cert->get(), nullptr) != 1) {
        outcome = make_error("cannot set up verification: " + openssl_errors());
    } else {
        X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx);
        X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(at));
        if (expected_host) {
            X509_VERIFY_PARAM_set1_host(param, expected_host->c_str(), expected_host->size());
        }
        if (X509_verify_cert(ctx) != 1) {
            outcome = make_error(std::string("certificate rejected: ") +
                                 X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
        }
    }
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return outcome;
}

Result<TimePoint> certificate_not_after(const std::string& cert_pem) {
    auto cert = x509_from_pem(cert_pem);
    if (!cert) {
        return Unexpected(cert.error());
    }
    struct tm parts {};
    if (ASN1_TIME_to_tm(X509_get0_notAfter(cert->get()), &parts) != 1) {
        return make_error("unreadable notAfter");
    }
    return std::chrono::system_clock::from_time_t(timegm(&parts));
}

Result<std::string> certificate_common_name(const std::string& cert_pem) {
    auto cert = x509_from_pem(cert_pem);
    if (!cert) {
        return Unexpected(cert.error());
    }
    char buffer[256];
    int n = X509_NAME_get_text_by_NID(X509_get_subject_name(cert->get()), NID_commonName, buffer,
                                      sizeof(buffer));
    if (n < 0) {
        return make_error("certificate has no CN");
    }
    return std::string(buffer, static_cast<size_t>(n));
}

Result<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return make_error("cannot read " + path);
    }
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace octane::pki
