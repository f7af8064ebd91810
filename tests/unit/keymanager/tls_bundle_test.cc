#include "keymanager/tls_bundle.h"

#include <memory>

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

namespace octane::keymanager {
namespace {

struct Free {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
    void operator()(X509* p) const { X509_free(p); }
    void operator()(BIO* p) const { BIO_free_all(p); }
    void operator()(PKCS12* p) const { PKCS12_free(p); }
};

std::unique_ptr<EVP_PKEY, Free> make_key() {
    return std::unique_ptr<EVP_PKEY, Free>(EVP_EC_gen("P-256"));
}

std::unique_ptr<X509, Free> make_cert(EVP_PKEY* key, const char* cn) {
    std::unique_ptr<X509, Free> cert(X509_new());
    X509_set_version(cert.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
    X509_set_pubkey(cert.get(), key);
    X509_NAME* name = X509_get_subject_name(cert.get());
    if (cn != nullptr) {
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>(cn), -1, -1, 0);
    } else {
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                   reinterpret_cast<const unsigned char*>("org"), -1, -1, 0);
    }
    X509_set_issuer_name(cert.get(), name);
    X509_sign(cert.get(), key, EVP_sha256());
    return cert;
}

template <typename Write>
std::string to_text(Write write) {
    std::unique_ptr<BIO, Free> out(BIO_new(BIO_s_mem()));
    write(out.get());
    char* data = nullptr;
    const long size = BIO_get_mem_data(out.get(), &data);
    return std::string(data, static_cast<size_t>(size));
}

std::string cert_pem(X509* cert) {
    return to_text([&](BIO* b) { PEM_write_bio_X509(b, cert); });
}
std::string key_pem(EVP_PKEY* key) {
    return to_text(
        [&](BIO* b) { PEM_write_bio_PrivateKey(b, key, nullptr, nullptr, 0, nullptr, nullptr); });
}

std::string pkcs12_der(EVP_PKEY* key, X509* cert, const char* pass) {
    std::unique_ptr<PKCS12, Free> p12(
        PKCS12_create(pass, "tls", key, cert, nullptr, 0, 0, 0, 0, 0));
    return to_text([&](BIO* b) { i2d_PKCS12_bio(b, p12.get()); });
}

TEST(TlsBundleTest, ReadsAPkcs12WithoutPassphrase) {
    auto key = make_key();
    auto cert = make_cert(key.get(), "www.example.com");
    auto bundle = bundle_from_pkcs12(pkcs12_der(key.get(), cert.get(), ""));
    ASSERT_TRUE(bundle) << bundle.error().message;
    EXPECT_EQ(bundle->certificate, cert_pem(cert.get()));
    EXPECT_EQ(bundle->names, std::vector<std::string>{"www.example.com"});
    const std::string pem = bundle_pem(*bundle);
    EXPECT_EQ(pem.find("-----BEGIN CERTIFICATE"), 0u);
    EXPECT_NE(pem.find("PRIVATE KEY"), std::string::npos);
}

TEST(TlsBundleTest, APassphraseOrGarbageIsAnUnreadablePkcs12) {
    auto key = make_key();
    auto cert = make_cert(key.get(), "www.example.com");
    auto locked = bundle_from_pkcs12(pkcs12_der(key.get(), cert.get(), "secret"));
    ASSERT_FALSE(locked);
    EXPECT_EQ(locked.error().code, kUnreadablePkcs12);
    auto garbage = bundle_from_pkcs12(cert_pem(cert.get()));
    ASSERT_FALSE(garbage);
    EXPECT_EQ(garbage.error().code, kUnreadablePkcs12);
}

TEST(TlsBundleTest, PemsNeedAMatchingKey) {
    auto key = make_key();
    auto other = make_key();
    auto cert = make_cert(key.get(), "api.example.com");
    auto good = bundle_from_pems(cert_pem(cert.get()), key_pem(key.get()), "", std::nullopt);
    ASSERT_TRUE(good) << good.error().message;
    auto wrong = bundle_from_pems(cert_pem(cert.get()), key_pem(other.get()), "", std::nullopt);
    ASSERT_FALSE(wrong);
    EXPECT_EQ(wrong.error().message, "Key and x509 certificate do not match");
    EXPECT_FALSE(bundle_from_pems("not a cert", key_pem(key.get()), "", std::nullopt));
    auto nameless = make_cert(key.get(), nullptr);
    auto unnamed = bundle_from_pems(cert_pem(nameless.get()), key_pem(key.get()), "", std::nullopt);
    ASSERT_TRUE(unnamed);
    EXPECT_TRUE(unnamed->names.empty());  // Octavia's MissingCertSubject is the caller's to raise
}

TEST(TlsBundleTest, ChecksACaAndItsCrl) {
    auto key = make_key();
    auto ca = make_cert(key.get(), "ca");
    EXPECT_TRUE(check_ca_pem(cert_pem(ca.get())));
    EXPECT_FALSE(check_ca_pem("nope"));
    bool signed_by_ca = true;
    EXPECT_FALSE(check_crl_pem("nope", cert_pem(ca.get()), &signed_by_ca));
}

}  // namespace
}  // namespace octane::keymanager
