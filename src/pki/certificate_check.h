#pragma once

// Checks of a certificate against a CA, as a TLS peer would do them; used by tests and by the
// controller to report a certificate's expiry.

#include <optional>
#include <string>

#include "common/result.h"
#include "pki/certificate_authority.h"

namespace octane::pki {

// Verifies that cert_pem chains to ca_pem at time `at` (expired, not yet valid and foreign-CA
// certificates fail, with OpenSSL's reason) and, when expected_host is set, that the certificate
// names it (SAN DNS, or CN without SAN DNS).
Result<void> verify_certificate(const std::string& cert_pem, const std::string& ca_pem,
                                TimePoint at,
                                const std::optional<std::string>& expected_host = std::nullopt);

// notAfter of a PEM certificate.
Result<TimePoint> certificate_not_after(const std::string& cert_pem);

// The subject CN of a PEM certificate.
Result<std::string> certificate_common_name(const std::string& cert_pem);

// Reads a whole file (for PEM paths); fails with the path in the message.
Result<std::string> read_text_file(const std::string& path);

}  // namespace octane::pki
