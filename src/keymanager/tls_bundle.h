#pragma once

// A listener's or pool's certificate as Octavia's cert manager loads it: from one PKCS12 secret
// (no passphrase, as Octavia's barbican cert manager) or from a certificate container's PEM
// secrets (certificate, private_key, intermediates, private_key_passphrase), checked the way a TLS
// server would need it (the key matches the certificate, the certificate names a host).

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace octane::keymanager {

struct TlsBundle {
    std::string certificate;         // PEM
    std::string intermediates;       // PEM, concatenated, possibly empty
    std::string private_key;         // PEM, unencrypted
    std::vector<std::string> names;  // subject CN, then SAN DNS names
};

// Error::code kUnreadablePkcs12: the payload is not a PKCS12 bundle readable without a passphrase.
constexpr int kUnreadablePkcs12 = 1;

Result<TlsBundle> bundle_from_pkcs12(const std::string& der);
Result<TlsBundle> bundle_from_pems(const std::string& certificate, const std::string& private_key,
                                   const std::string& intermediates,
                                   const std::optional<std::string>& passphrase);

// The file HAProxy's crt-list points at: certificate, intermediates, key.
std::string bundle_pem(const TlsBundle& bundle);

// A CA certificate for client authentication, and a CRL that this CA signed (Octavia's checks).
Result<void> check_ca_pem(const std::string& pem);
Result<void> check_crl_pem(const std::string& crl_pem, const std::string& ca_pem,
                           bool* signed_by_ca);

}  // namespace octane::keymanager
