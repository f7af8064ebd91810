#pragma once

// The controller's local certificate authority (Octavia's local cert generator, docs/amphora.md
// §1): one CA per state directory, created on first use, that signs each amphora's server
// certificate (CN = amphora id, SAN = the id and the management IP) and the controller's client
// certificate. The agent requires client certificates signed by this CA; the controller checks the
// amphora's certificate names the amphora id, not its IP.
//
// Why a self-made CA and not per-amphora self-signed certificates: the agent needs one client-CA
// bundle and the controller one server-CA bundle, whatever the number of amphorae.
// Keys are EC P-256 (generation takes well under a millisecond; RSA-2048 takes tens).

#include <chrono>
#include <string>
#include <vector>

#include "common/result.h"

namespace octane::pki {

using TimePoint = std::chrono::system_clock::time_point;

struct CaOptions {
    std::string dir;                              // holds ca.pem and ca.key (0600)
    std::string common_name = "Octane local CA";  // subject of a newly created CA
    std::chrono::seconds validity = std::chrono::hours(24 * 365 * 10);
};

enum class CertUsage { kServer, kClient };

struct CertRequest {
    std::string common_name;
    std::vector<std::string> dns_names;     // subjectAltName DNS entries
    std::vector<std::string> ip_addresses;  // subjectAltName IP entries (IPv4 or IPv6 text)
    CertUsage usage = CertUsage::kServer;
    std::chrono::seconds validity = std::chrono::hours(24 * 365 * 2);  // Octavia cert_validity_time
};

// A signed certificate and its private key, in memory.
struct IssuedCert {
    std::string cert_pem;
    std::string key_pem;
    TimePoint not_before;
    TimePoint not_after;  // what the controller stores as amphora.cert_expiration
};

// Where write_cert_files() put an issued certificate.
struct CertFiles {
    std::string cert_path;  // <dir>/<name>.crt: the certificate alone
    std::string key_path;   // <dir>/<name>.key: the key alone (0600)
    std::string pem_path;   // <dir>/<name>.pem: certificate + key (0600), Octavia's server.pem
    std::string ca_path;    // the CA certificate to trust the peer with
    TimePoint not_after;
};

class CertificateAuthority {
  public:
    // Loads <dir>/ca.pem + ca.key, or creates them (directory included) when both are missing.
    // Safe against concurrent first use by several processes (an flock on <dir>/.lock).
    static Result<CertificateAuthority> open_or_create(const CaOptions& options);

    const std::string& ca_cert_pem() const { return ca_cert_pem_; }
    const std::string& ca_cert_path() const { return ca_cert_path_; }

    // Signs a certificate valid from `now` - 5 minutes (clock skew) for request.validity.
    // `now` is injected so tests can issue already-expired certificates.
    Result<IssuedCert> issue(const CertRequest& request, TimePoint now) const;

    // An amphora's server certificate: CN and SAN DNS = amphora id, SAN IP = management IP (when
    // not empty), in memory (what a config drive carries to the amphora).
    Result<IssuedCert> amphora_cert(const std::string& amphora_id, const std::string& management_ip,
                                    std::chrono::seconds validity) const;
    // An amphora's server certificate: CN and SAN DNS = amphora id, SAN IP = management IP (when
    // not empty), written as <out_dir>/<amphora_id>.{crt,key,pem}.
    Result<CertFiles> issue_amphora_cert(const std::string& amphora_id,
                                         const std::string& management_ip,
                                         std::chrono::seconds validity,
                                         const std::string& out_dir) const;

    // The controller's client certificate, written as <out_dir>/<name>.{crt,key,pem}.
    Result<CertFiles> issue_client_cert(const std::string& common_name,
                                        std::chrono::seconds validity, const std::string& out_dir,
                                        const std::string& name = "client") const;

  private:
    CertificateAuthority() = default;

    std::string ca_cert_pem_;
    std::string ca_key_pem_;
    std::string ca_cert_path_;
};

// Writes <dir>/<name>.crt, .key and .pem (keys 0600, each through a temp file and a rename).
Result<CertFiles> write_cert_files(const IssuedCert& cert, const std::string& dir,
                                   const std::string& name, const std::string& ca_path);

}  // namespace octane::pki
