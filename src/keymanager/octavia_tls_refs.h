#pragma once

// Octavia's API checks of the TLS refs of a listener (default_tls_container_ref,
// sni_container_refs, client_ca_tls_container_ref, client_crl_container_ref) and of a pool
// (tls_container_ref, ca_tls_container_ref, crl_container_ref): every ref must load through the
// cert manager with the caller's rights, in Octavia's 400 faultstrings.

#include <nlohmann/json.hpp>

#include "keymanager/cert_manager.h"
#include "model/api_error.h"

namespace octane::keymanager {

// attrs: the fields the request sets (create: all; update: the changes).
model::ApiResult<void> check_tls_refs(CertManager& certs, const Subject& subject,
                                      const nlohmann::json& attrs, bool is_pool);

}  // namespace octane::keymanager
