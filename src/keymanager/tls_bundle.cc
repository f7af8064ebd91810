#include "keymanager/tls_bundle.h"

#include <memory>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "common/openssl_errors.h"

namespace octane::keymanager {
namespace {

struct Free {
    void operator()(BIO* p) const { BIO_free_all(p); }
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(X509_CRL* p) const { X509_CRL_free(p); }
    void operator()(PKCS12* p) const { PKCS12_free(p); }
    void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};
template <typename T>
using Owned = std::unique_ptr<T, Free>;

std::string openssl_text() {
    return openssl_errors();
}

Owned<BIO> reader(const std::string& data) {
    return Owned<BIO>(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string x509_pem(X509* cert) {
    Owned<BIO> out(BIO_new(BIO_s_mem()));
    PEM_write_bio_X509(out.get(), cert);
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

std::string key_pem(EVP_PKEY* key) {
    Owned<BIO> out(BIO_new(BIO_s_mem()));
    PEM_write_bio_PrivateKey(out.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

std::vector<std::string> names_of(X509* cert) {
    std::vector<std::string> names;
    char cn[256];
    if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) > 0) {
        names.emplace_back(cn);
    }
    auto* sans =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans && i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* name = sk_GENERAL_NAME_value(sans, i);
        if (name->type == GEN_DNS) {
            const auto* text = ASN1_STRING_get0_data(name->d.dNSName);
            names.emplace_back(reinterpret_cast<const char*>(text),
                               static_cast<size_t>(ASN1_STRING_length(name->d.dNSName)));
        }
    }
    GENERAL_NAMES_free(sans);
    return names;
}

Result<TlsBundle> finish(X509* cert, EVP_PKEY* key, std::string intermediates) {
    if (X509_check_private_key(cert, key) != 1) {
        ERR_clear_error();
        return make_error("Key and x509 certificate do not match");
    }
    TlsBundle bundle;
    bundle.certificate = x509_pem(cert);
    bundle.private_key = key_pem(key);
    bundle.intermediates = std::move(intermediates);
    bundle.names = names_of(cert);
    return bundle;
}

}  // namespace

Result<TlsBundle> bundle_from_pkcs12(const std::string& der) {
    auto in = reader(der);
    Owned<PKCS12> p12(d2i_PKCS12_bio(in.get(), nullptr));
    EVP_PKEY* raw_key = nullptr;
    X509* raw_cert = nullptr;
    STACK_OF(X509)* raw_chain = nullptr;
    if (!p12 || PKCS12_parse(p12.get(), nullptr, &raw_key, &raw_cert, &raw_chain) != 1) {
        return make_error("Could not deserialize PKCS12 data: " + openssl_text(),
                          kUnreadablePkcs12);
    }
    Owned<EVP_PKEY> key(raw_key);
    Owned<X509> cert(raw_cert);
    Owned<STACK_OF(X509)> chain(raw_chain);
    if (!cert || !key) {
        return make_error("Could not deserialize PKCS12 data: no certificate and key",
                          kUnreadablePkcs12);
    }
    std::string intermediates;
    for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i) {
        intermediates += x509_pem(sk_X509_value(chain.get(), i));
    }
    return finish(cert.get(), key.get(), std::move(intermediates));
}

Result<TlsBundle> bundle_from_pems(const std::string& certificate, const std::string& private_key,
                                   const std::string& intermediates,
                                   const std::optional<std::string>& passphrase) {
    auto cert_in = reader(certificate);
    Owned<X509> cert(PEM_read_bio_X509(cert_in.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        return make_error("Could not read X509 from PEM: " + openssl_text());
    }
    auto key_in = reader(private_key);
    std::string pass = passphrase.value_or("");
    Owned<EVP_PKEY> key(PEM_read_bio_PrivateKey(key_in.get(), nullptr, nullptr,
                                                passphrase ? pass.data() : nullptr));
    if (!key) {
        return make_error("Could not read the private key: " + openssl_text());
    }
    std::string chain;
    auto chain_in = reader(intermediates);
    while (!intermediates.empty()) {
        Owned<X509> next(PEM_read_bio_X509(chain_in.get(), nullptr, nullptr, nullptr));
        if (!next) {
            ERR_clear_error();
            break;
        }
        chain += x509_pem(next.get());
    }
    if (!intermediates.empty() && chain.empty()) {
        return make_error("Could not read the intermediates as X509 PEM");
    }
    return finish(cert.get(), key.get(), std::move(chain));
}

std::string bundle_pem(const TlsBundle& bundle) {
    return bundle.certificate + bundle.intermediates + bundle.private_key;
}

Result<void> check_ca_pem(const std::string& pem) {
    auto in = reader(pem);
    Owned<X509> cert(PEM_read_bio_X509(in.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        return make_error(openssl_text());
    }
    return {};
}

Result<void> check_crl_pem(const std::string& crl_pem, const std::string& ca_pem,
                           bool* signed_by_ca) {
    auto crl_in = reader(crl_pem);
    Owned<X509_CRL> crl(PEM_read_bio_X509_CRL(crl_in.get(), nullptr, nullptr, nullptr));
    if (!crl) {
        return make_error(openssl_text());
    }
    auto ca_in = reader(ca_pem);
    Owned<X509> ca(PEM_read_bio_X509(ca_in.get(), nullptr, nullptr, nullptr));
    EVP_PKEY* ca_key = ca ? X509_get0_pubkey(ca.get()) : nullptr;
    *signed_by_ca = ca_key && X509_CRL_verify(crl.get(), ca_key) == 1;
    ERR_clear_error();
    return {};
}

}  // namespace octane::keymanager
