#include "keymanager/barbican_service.h"

#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "identity/keystone_service.h"
#include "keymanager/barbican_views.h"

namespace octane::keymanager {
namespace {

using nlohmann::json;

json version_info(const std::string& base) {
    return {{"id", "v1"},
            {"status", "stable"},
            {"links", json::array({{{"rel", "self"}, {"href", base + "/key-manager/v1/"}},
                                   {{"rel", "describedby"},
                                    {"type", "text/html"},
                                    {"href", "https://docs.openstack.org/"}}})},
            {"media-types",
             json::array({{{"base", "application/json"},
                           {"type", "application/vnd.openstack.key-manager-v1+json"}}})}};
}

}  // namespace

BarbicanService::BarbicanService(db::Database& db, SecretCipher cipher, const Clock& clock,
                                 Authenticator authenticate, std::string public_base)
    : secrets_(db),
      containers_(db),
      acls_(db),
      cipher_(std::move(cipher)),
      clock_(clock),
      authenticate_(std::move(authenticate)),
      public_base_(std::move(public_base)) {
    // Barbican's v1 routes that Octavia and the openstack client use, one table.
    router_.add("POST", "/v1/secrets", &BarbicanService::create_secret);
    router_.add("GET", "/v1/secrets", &BarbicanService::list_secrets);
    router_.add("GET", "/v1/secrets/{id}", &BarbicanService::show_secret);
    router_.add("PUT", "/v1/secrets/{id}", &BarbicanService::put_payload);
    router_.add("DELETE", "/v1/secrets/{id}", &BarbicanService::delete_secret);
    router_.add("GET", "/v1/secrets/{id}/payload", &BarbicanService::show_payload);
    router_.add("POST", "/v1/containers", &BarbicanService::create_container);
    router_.add("GET", "/v1/containers", &BarbicanService::list_containers);
    router_.add("GET", "/v1/containers/{id}", &BarbicanService::show_container);
    router_.add("DELETE", "/v1/containers/{id}", &BarbicanService::delete_container);
    for (const char* method : {"GET", "PUT", "PATCH", "DELETE"}) {
        router_.add(method, "/v1/secrets/{id}/acl", &BarbicanService::secret_acl);
        router_.add(method, "/v1/containers/{id}/acl", &BarbicanService::container_acl);
    }
}

http::HttpResponse BarbicanService::handle(const http::HttpRequest& request) {
    auto response = answer(request);
    if (request.method == "HEAD") {
        response.body.clear();
    }
    return response;
}

http::HttpResponse BarbicanService::answer(const http::HttpRequest& request) {
    std::string path = request.path;
    if (starts_with(path, "/key-manager")) {
        path = path.substr(12);
    }
    while (!path.empty() && path.back() == '/') {
        path.pop_back();
    }
    const std::string base = identity::request_base(request, public_base_);
    if (path.empty()) {
        return km_json(300, {{"versions", {{"values", json::array({version_info(base)})}}}});
    }
    if (path == "/v1" && (request.method == "GET" || request.method == "HEAD")) {
        return km_json(200, {{"version", version_info(base)}});
    }
    auto caller = authenticate_(request);
    if (!caller) {
        return caller.error();
    }
    auto found = router_.find(request.method, path);
    switch (found.outcome) {
        case http::Router<Handler>::Outcome::kNotFound:
            return km_fault({404, "The resource could not be found."});
        case http::Router<Handler>::Outcome::kMethodNotAllowed:
            return km_fault({405, "The method is not allowed."});
        case http::Router<Handler>::Outcome::kFound:
            break;
    }
    Call call{request, {}, base + "/key-manager/v1", std::move(found.params)};
    call.subject.user_id = caller->user_id;
    call.subject.project_id = caller->project_id.value_or("");
    call.subject.roles.insert(caller->roles.begin(), caller->roles.end());
    try {
        return (this->*(*found.handler))(call);
    } catch (const std::exception& e) {
        spdlog::error("key-manager {} {}: {}", request.method, request.target, e.what());
        return km_fault({500, "System failure seen - please contact site administrator."});
    }
}

}  // namespace octane::keymanager
