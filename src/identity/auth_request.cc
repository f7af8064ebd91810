#include "identity/auth_request.h"

#include <nlohmann/json.hpp>

namespace octane::identity {
namespace {

using nlohmann::json;

Unexpected<Error> bad(const std::string& message) {
    return make_error(message, 400);
}

// A string member, or an error when present with the wrong type.
Result<std::optional<std::string>> text(const json& object, const char* key, const char* where) {
    if (!object.contains(key)) {
        return std::optional<std::string>{};
    }
    const auto& value = object[key];
    if (!value.is_string() || value.get<std::string>().empty()) {
        return bad(std::string("Invalid input for field '") + where + "." + key +
                   "': expected a non-empty string.");
    }
    return std::optional<std::string>{value.get<std::string>()};
}

Result<void> domain_of(const json& object, const char* where, std::optional<std::string>& id,
                       std::optional<std::string>& name) {
    if (!object.contains("domain")) {
        return {};
    }
    if (!object["domain"].is_object()) {
        return bad(std::string("Invalid input for field '") + where +
                   ".domain': expected an object.");
    }
    auto i = text(object["domain"], "id", "domain");
    auto n = text(object["domain"], "name", "domain");
    if (!i) {
        return Unexpected(i.error());
    }
    if (!n) {
        return Unexpected(n.error());
    }
    id = *i;
    name = *n;
    return {};
}

}  // namespace

Result<AuthRequest> parse_auth_request(const std::string& body) {
    json doc = json::parse(body, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
        return bad("Malformed request body.");
    }
    if (!doc.contains("auth") || !doc["auth"].is_object()) {
        return bad("Invalid input for field 'auth': 'auth' is a required property.");
    }
    const json& auth = doc["auth"];
    if (!auth.contains("identity") || !auth["identity"].is_object()) {
        return bad("Invalid input for field 'identity': 'identity' is a required property.");
    }
    const json& identity = auth["identity"];
    if (!identity.contains("methods") || !identity["methods"].is_array() ||
        identity["methods"].empty()) {
        return bad("Invalid input for field 'identity': 'methods' is a required property.");
    }
    AuthRequest out;
    for (const auto& method : identity["methods"]) {
        if (!method.is_string()) {
            return bad("Invalid input for field 'identity/methods': expected strings.");
        }
        std::string name = method.get<std::string>();
        if (name != "password" && name != "token") {
            return make_error("Attempted to authenticate with an unsupported method.", 401);
        }
        if (!identity.contains(name) || !identity[name].is_object()) {
            return bad("Invalid input for field 'identity': '" + name +
                       "' is a required property.");
        }
        if (name == "token") {
            auto id = text(identity["token"], "id", "token");
            if (!id) {
                return Unexpected(id.error());
            }
            if (!*id) {
                return bad("Invalid input for field 'token': 'id' is a required property.");
            }
            out.token = **id;
            continue;
        }
        const json& password = identity["password"];
        if (!password.contains("user") || !password["user"].is_object()) {
            return bad("Invalid input for field 'password': 'user' is a required property.");
        }
        const json& user = password["user"];
        PasswordCredentials credentials;
        auto id = text(user, "id", "user");
        auto user_name = text(user, "name", "user");
        if (!id) {
            return Unexpected(id.error());
        }
        if (!user_name) {
            return Unexpected(user_name.error());
        }
        credentials.user_id = *id;
        credentials.user_name = *user_name;
        if (!credentials.user_id && !credentials.user_name) {
            return bad("Invalid input for field 'user': either 'id' or 'name' is required.");
        }
        if (auto ok = domain_of(user, "user", credentials.domain_id, credentials.domain_name);
            !ok) {
            return Unexpected(ok.error());
        }
        if (!user.contains("password") || !user["password"].is_string()) {
            return bad("Invalid input for field 'user': 'password' is a required property.");
        }
        credentials.password = user["password"].get<std::string>();
        out.password = std::move(credentials);
    }
    if (!out.password && !out.token) {
        return bad("Invalid input for field 'identity': no supported method.");
    }
    if (auth.contains("scope")) {
        const json& scope = auth["scope"];
        if (!scope.is_object()) {
            return bad("Invalid input for field 'scope': expected an object.");
        }
        if (scope.contains("project")) {
            if (!scope["project"].is_object()) {
                return bad("Invalid input for field 'scope.project': expected an object.");
            }
            const json& project = scope["project"];
            auto id = text(project, "id", "project");
            auto name = text(project, "name", "project");
            if (!id) {
                return Unexpected(id.error());
            }
            if (!name) {
                return Unexpected(name.error());
            }
            out.project_id = *id;
            out.project_name = *name;
            if (!out.project_id && !out.project_name) {
                return bad(
                    "Invalid input for field 'project': either 'id' or 'name' is"
                    " required.");
            }
            if (auto ok =
                    domain_of(project, "project", out.project_domain_id, out.project_domain_name);
                !ok) {
                return Unexpected(ok.error());
            }
        } else if (scope.contains("system")) {
            const json& system = scope["system"];
            if (!system.is_object() || !system.contains("all") || system["all"] != true) {
                return bad("Invalid input for field 'scope.system': expected {\"all\": true}.");
            }
            out.system = true;
        } else if (scope.contains("domain")) {
            return make_error(
                "Only project-scoped, system-scoped and unscoped tokens are supported.", 401);
        }
    }
    return out;
}

}  // namespace octane::identity
