#pragma once

// What the controller sends an amphora besides haproxy.cfg for TLS (Octavia's amphora driver
// upload_cert_amp): each listener certificate (default, then SNI) as one PEM of certificate,
// intermediates and key named "<sha1>.pem", the listener's crt-list "<listener id>.pem" naming
// them, and the client CA / CRL and pool certificate, CA and CRL files, recorded in
// RenderContext::secret_files so that the rendered paths point at them.

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "render/render_context.h"

namespace octane::drivers {

// TLS material of a project by ref: bundle = true for a certificate (certificate, intermediates,
// key as one PEM), false for a secret as stored (CA, CRL).
using TlsSource = std::function<Result<std::string>(const std::string& project_id,
                                                    const std::string& ref, bool bundle)>;

// Stores one file in the agent's certificate directory of the load balancer.
using CertificatePut =
    std::function<Result<void>(const std::string& filename, const std::string& pem)>;

// cert_dir_of_lb: where the agent keeps the load balancer's files (the crt-list names full paths).
Result<void> upload_tls_files(const TlsSource& source, const nlohmann::json& load_balancer,
                              const std::string& cert_dir_of_lb, render::RenderContext& ctx,
                              const CertificatePut& put);

}  // namespace octane::drivers
