#pragma once

// The Neutron v2.0 subset served under /networking: networks, subnets, ports and floating IPs
// with the filters (?name=, ?id=, ?network_id=, ...) and ?fields= the openstack client uses,
// Neutron's visibility rules (own objects, shared and external networks; admin sees all) and its
// error body.

#include <functional>

#include "http/http_message.h"
#include "identity/token_validator.h"
#include "networking/network_store.h"

namespace octane::networking {

using Authenticator =
    std::function<Result<identity::Caller, http::HttpResponse>(const http::HttpRequest&)>;

class NeutronService {
  public:
    NeutronService(NetworkStore& store, Authenticator authenticate, std::string public_base)
        : store_(store),
          authenticate_(std::move(authenticate)),
          public_base_(std::move(public_base)) {}

    http::HttpResponse handle(const http::HttpRequest& request);

  private:
    http::HttpResponse route(const http::HttpRequest& request, const std::string& path,
                             const identity::Caller& caller);

    NetworkStore& store_;
    Authenticator authenticate_;
    std::string public_base_;
};

}  // namespace octane::networking
