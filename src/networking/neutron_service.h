#pragma once

// The Neutron v2.0 subset served under /networking: networks, subnets, ports, floating IPs and
// routers (with add_router_interface / remove_router_interface) with the filters (?name=, ?id=,
// ?network_id=, ...) and ?fields= the openstack client uses, Neutron's visibility rules (own
// objects, shared and external networks; admin sees all) and its error body.

#include <functional>

#include "http/http_message.h"
#include "http/router.h"
#include "identity/token_validator.h"
#include "networking/network_store.h"

namespace octane::networking {

using Authenticator =
    std::function<Result<identity::Caller, http::HttpResponse>(const http::HttpRequest&)>;

class NeutronService {
  public:
    NeutronService(NetworkStore& store, Authenticator authenticate, std::string public_base);

    http::HttpResponse handle(const http::HttpRequest& request);

    // Called after every successful change (POST, PUT, DELETE, router interface actions), once
    // its transaction committed and before the answer leaves, so a driver can realise the
    // change synchronously. Empty: nothing is called.
    void set_on_change(std::function<void()> on_change) { on_change_ = std::move(on_change); }

  private:
    struct Call {
        const http::HttpRequest& request;
        const http::Params& params;
        const identity::Caller& caller;
        NetKind kind;  // the collection of a collection route
    };
    using Handler = std::function<http::HttpResponse(const Call&)>;

    // The route table, one line per call as Neutron's API router lists its resources.
    void add_routes();
    http::HttpResponse route(const http::HttpRequest& request, const std::string& path,
                             const identity::Caller& caller);
    http::HttpResponse list_objects(const Call& call);
    http::HttpResponse create_object(const Call& call);
    http::HttpResponse show_object(const Call& call);
    http::HttpResponse update_object(const Call& call);
    http::HttpResponse delete_object(const Call& call);
    // The object in the path if the caller sees it and, for a change, owns it.
    Result<nlohmann::json, http::HttpResponse> object_of(const Call& call, bool change);
    // PUT /v2.0/routers/{id}: plain attributes and external_gateway_info.
    http::HttpResponse update_router(const http::HttpRequest& request, const std::string& id,
                                     const identity::Caller& caller);
    // PUT /v2.0/routers/{id}/add_router_interface and .../remove_router_interface.
    http::HttpResponse router_interface(const http::HttpRequest& request, const std::string& id,
                                        const std::string& action, const identity::Caller& caller);

    NetworkStore& store_;
    Authenticator authenticate_;
    std::string public_base_;
    std::function<void()> on_change_;
    http::Router<Handler> router_;
};

}  // namespace octane::networking
