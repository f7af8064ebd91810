#pragma once

// Answers of the Neutron surface, shared by its route files: a JSON body with a status, a
// Neutron fault, and the caller's admin role.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "http/http_message.h"
#include "identity/token_validator.h"
#include "networking/neutron_bodies.h"

namespace octane::networking {

inline http::HttpResponse respond(int status, const nlohmann::json& body) {
    http::HttpResponse response;
    response.status = status;
    response.body = body.dump();
    return response;
}

inline http::HttpResponse fault(const NetError& error) {
    return respond(error.status, neutron_error_body(error));
}

inline bool is_admin(const identity::Caller& caller) {
    return std::find(caller.roles.begin(), caller.roles.end(), "admin") != caller.roles.end();
}

}  // namespace octane::networking
