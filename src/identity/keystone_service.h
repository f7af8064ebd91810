#pragma once

// The built-in Keystone v3 subset, served under /identity (and /v3): version discovery, tokens
// (password and token methods; project scope, system scope or unscoped), and the project/user/role
// look-ups and admin calls the openstack client makes.

#include <string>

#include "http/http_message.h"
#include "http/router.h"
#include "identity/identity_store.h"
#include "identity/keystone_handlers.h"

namespace octane::identity {

class KeystoneService {
  public:
    // public_base: "http://host:port" used in links and the catalog; empty = from the Host header.
    KeystoneService(IdentityStore& store, std::string public_base);

    // Answers any path under /identity or /v3.
    http::HttpResponse handle(const http::HttpRequest& request);

  private:
    http::HttpResponse route(const http::HttpRequest& request, const std::string& path);

    IdentityStore& store_;
    std::string public_base_;
    // Discovery and tokens answer without a token; everything else (and any unknown path) wants
    // a valid X-Auth-Token first, as Keystone's 401 comes before its 404.
    http::Router<KeystoneHandler> public_routes_;
    http::Router<KeystoneHandler> routes_;
};

// The base URL other parts link to: public_base when set, else http://<Host header>.
std::string request_base(const http::HttpRequest& request, const std::string& public_base);

}  // namespace octane::identity
