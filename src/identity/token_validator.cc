#include "identity/token_validator.h"

#include "identity/keystone_views.h"

namespace octane::identity {

Caller caller_of(const TokenInfo& info) {
    Caller caller;
    caller.user_id = info.user.id;
    caller.user_name = info.user.name;
    if (info.project) {
        caller.project_id = info.project->id;
    }
    caller.system_scope = info.system;
    for (const auto& role : info.roles) {
        caller.roles.push_back(role.name);
    }
    return caller;
}

Result<Caller> LocalTokenValidator::validate(const std::string& token) {
    auto info = store_.validate_token(token);
    if (!info) {
        if (info.error().code == 404) {
            return make_error("The request you have made requires authentication.", 401);
        }
        return Unexpected(info.error());
    }
    return caller_of(*info);
}

Result<Caller, http::HttpResponse> authenticate_request(TokenValidator& validator,
                                                        const http::HttpRequest& request,
                                                        const std::string& www_authenticate_uri) {
    auto refuse = [&](int status, const std::string& message) {
        auto response = keystone_error(status, message);
        if (status == 401) {
            response.headers.emplace_back("WWW-Authenticate",
                                          "Keystone uri=\"" + www_authenticate_uri + "\"");
        }
        return Unexpected(std::move(response));
    };
    const std::string* token = request.header("x-auth-token");
    if (!token || token->empty()) {
        return refuse(401, "The request you have made requires authentication.");
    }
    auto caller = validator.validate(*token);
    if (!caller) {
        if (caller.error().code == 401) {
            return refuse(401, "The request you have made requires authentication.");
        }
        // The reason (an address, a TLS error) is for the log, not for the caller.
        return refuse(503,
                      "The server is currently unavailable. Please try again at a later time.");
    }
    return *caller;
}

}  // namespace octane::identity
