#pragma once

// The built-in Keystone v3 subset, served under /identity (and /v3): version discovery, tokens
// (password and token methods; project scope, system scope or unscoped), and the project/user/role
// look-ups and admin calls the openstack client makes.

#include <string>
#include <vector>

#include "http/http_message.h"
#include "identity/identity_store.h"

namespace octane::identity {

class KeystoneService {
  public:
    // public_base: "http://host:port" used in links and the catalog; empty = from the Host header.
    KeystoneService(IdentityStore& store, std::string public_base)
        : store_(store), public_base_(std::move(public_base)) {}

    // Answers any path under /identity or /v3.
    http::HttpResponse handle(const http::HttpRequest& request);

  private:
    std::string base(const http::HttpRequest& request) const;
    http::HttpResponse route(const http::HttpRequest& request, const std::string& path);
    http::HttpResponse create_token(const http::HttpRequest& request);
    http::HttpResponse token_call(const http::HttpRequest& request);
    // GET /v3/roles/{id} (keystone_assignments.cc).
    http::HttpResponse show_role(const http::HttpRequest& request, const std::string& id);
    http::HttpResponse resources(const http::HttpRequest& request, const std::string& path,
                                 const TokenInfo& caller);
    http::HttpResponse system_grant(const http::HttpRequest& request,
                                    const std::vector<std::string>& parts, bool admin);
    http::HttpResponse role_assignments(const http::HttpRequest& request, const std::string& url,
                                        bool admin, const TokenInfo& caller);

    IdentityStore& store_;
    std::string public_base_;
};

// The base URL other parts link to: public_base when set, else http://<Host header>.
std::string request_base(const http::HttpRequest& request, const std::string& public_base);

}  // namespace octane::identity
