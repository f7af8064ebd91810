// Keystone's role lookup, GET /v3/roles/{id}, as tempest's clients call it (the octavia plugin
// logs every credential's roles by id).

#include "identity/keystone_service.h"
#include "identity/keystone_views.h"

namespace octane::identity {
namespace {

using nlohmann::json;

http::HttpResponse store_failure() {
    return keystone_error(500,
                          "An unexpected error prevented the server from fulfilling your request.");
}

}  // namespace

http::HttpResponse KeystoneService::show_role(const http::HttpRequest& request,
                                              const std::string& id) {
    auto roles = store_.list_roles();
    if (!roles) {
        return store_failure();
    }
    for (const auto& role : *roles) {
        if (role.id == id) {
            return keystone_json(200, {{"role", role_json(role, base(request))}});
        }
    }
    return keystone_error(404, "Could not find role: " + id + ".");
}

}  // namespace octane::identity
