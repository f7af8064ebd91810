#include "pki/openssl_handles.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "common/openssl_errors.h"

namespace octane::pki {

std::string openssl_errors() {
    return octane::openssl_errors();
}

namespace {

BioPtr memory_bio(const std::string& text) {
    return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

std::string drain(BIO* bio) {
    char* data = nullptr;
    long size = BIO_get_mem_data(bio, &data);
    return std::string(data, static_cast<size_t>(size));
}

}  // namespace

Result<X509Ptr> x509_from_pem(const std::string& pem) {
    BioPtr bio = memory_bio(pem);
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
    if (!cert) {
        return make_error("not a PEM certificate: " + openssl_errors());
    }
    return cert;
}

Result<PkeyPtr> pkey_from_pem(const std::string& pem) {
    BioPtr bio = memory_bio(pem);
    PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
    if (!key) {
        return make_error("not a PEM private key: " + openssl_errors());
    }
    return key;
}

Result<std::string> x509_to_pem(X509* cert) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
        return make_error("cannot encode certificate: " + openssl_errors());
    }
    return drain(bio.get());
}

Result<std::string> pkey_to_pem(EVP_PKEY* key) {
    BioPtr bio(BIO_new(BIO_s_mem()));
    if (!bio ||
        PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
        return make_error("cannot encode private key: " + openssl_errors());
    }
    return drain(bio.get());
}

Result<PkeyPtr> generate_key() {
    PkeyPtr key(EVP_EC_gen("P-256"));
    if (!key) {
        return make_error("cannot generate an EC key: " + openssl_errors());
    }
    return key;
}

}  // namespace octane::pki
