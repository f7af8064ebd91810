#pragma once

// The identity and networking surfaces of `octane serve|api` and the auth strategy feeding the
// load-balancer API's RequestContext: built-in Keystone at /identity (and /v3), built-in Neutron at
// /networking, built-in Barbican at /key-manager (payloads sealed with <state dir>/keymanager.key),
// or an external Keystone ([keystone_authtoken] auth_url) validating tokens.

#include <memory>

#include "api/api_context.h"
#include "common/clock.h"
#include "db/database.h"
#include "drivers/amphora_networking.h"
#include "drivers/network_driver.h"
#include "drivers/tls_upload.h"
#include "http/http_server.h"
#include "service/service_options.h"

namespace octane::service {

class Surfaces {
  public:
    // Runs the identity and networking migrations.
    static Result<std::unique_ptr<Surfaces>> create(db::Database& db, const Clock& clock,
                                                    const ServiceOptions& options);
    ~Surfaces();

    // The local or linuxbridge network driver, or nullptr when the options ask for noop.
    drivers::NetworkDriver* network_driver();
    // The linuxbridge driver's amphora placement, or nullptr with other drivers.
    drivers::AmphoraNetworking* amphora_networking();
    // o-hm0's address with linuxbridge (heartbeats are sent there), else "".
    std::string controller_ip();
    // Empty under noauth.
    api::Authenticator authenticator();
    // Listener and pool TLS refs checked against the built-in key manager.
    api::TlsRefCheck tls_ref_check();
    // What the local amphora driver ships to agents for listeners and pools with TLS refs.
    drivers::TlsSource tls_source();
    // First-start data once the API port is known: admin user, admin-openrc, default networks;
    // with linuxbridge also lb-mgmt-net, o-hm0, and the machine reconciled with the database.
    Result<void> bootstrap(const std::string& host, uint16_t port);
    // /identity, /v3, /networking and /key-manager go to their surfaces, the rest to api.
    http::Handler wrap(http::Handler api);

  private:
    struct Impl;
    explicit Surfaces(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace octane::service
