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

http::HttpResponse BarbicanService::handle(const http::HttpRequest& request) {
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
    if (path == "/v1" && request.method == "GET") {
        return km_json(200, {{"version", version_info(base)}});
    }
    auto caller = authenticate_(request);
    if (!caller) {
        return caller.error();
    }
    Call call{request, {}, base + "/key-manager/v1"};
    call.subject.user_id = caller->user_id;
    call.subject.project_id = caller->project_id.value_or("");
    call.subject.roles.insert(caller->roles.begin(), caller->roles.end());
    try {
        auto parts = split(path, '/');  // "", "v1", collection, id, sub
        if (parts.size() < 3 || parts.size() > 5 || parts[1] != "v1") {
            return km_fault({404, "The resource could not be found."});
        }
        const std::string sub = parts.size() == 5 ? parts[4] : "";
        const bool secrets = parts[2] == "secrets";
        if (!secrets && parts[2] != "containers") {
            return km_fault({404, "The resource could not be found."});
        }
        if (parts.size() > 3) {
            return secrets ? secret(call, parts[3], sub) : container(call, parts[3], sub);
        }
        if (request.method == "POST") {
            return secrets ? create_secret(call) : create_container(call);
        }
        if (request.method == "GET") {
            return secrets ? list_secrets(call) : list_containers(call);
        }
        return km_fault({405, "The method is not allowed."});
    } catch (const std::exception& e) {
        spdlog::error("key-manager {} {}: {}", request.method, request.target, e.what());
        return km_fault({500, "System failure seen - please contact site administrator."});
    }
}

}  // namespace octane::keymanager
