#pragma once

// RAII owners for the OpenSSL objects pki/ uses, and PEM conversions. Private to pki/ and the
// tests of it; the public API (certificate_authority.h, certificate_check.h) speaks PEM strings.

#include <memory>
#include <string>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/result.h"

namespace octane::pki {

struct BioFree {
    void operator()(BIO* p) const { BIO_free_all(p); }
};
struct PkeyFree {
    void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
    void operator()(X509* p) const { X509_free(p); }
};

using BioPtr = std::unique_ptr<BIO, BioFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

// The text of OpenSSL's error queue (emptied), for messages.
std::string openssl_errors();

Result<X509Ptr> x509_from_pem(const std::string& pem);
Result<PkeyPtr> pkey_from_pem(const std::string& pem);
Result<std::string> x509_to_pem(X509* cert);
Result<std::string> pkey_to_pem(EVP_PKEY* key);

// A fresh EC P-256 key: fast to generate (an amphora create waits on it) and accepted everywhere.
Result<PkeyPtr> generate_key();

}  // namespace octane::pki
