#pragma once

// Keystone v3 JSON documents: version discovery, token bodies with the service catalog, projects,
// users, roles, and the error body {"error": {"code", "title", "message"}}.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/http_message.h"
#include "identity/identity_store.h"

namespace octane::identity {

// base: "http://host:port" of this service; identity lives at base + "/identity".
nlohmann::json version_v3(const std::string& base);
nlohmann::json token_body(const TokenInfo& info, const std::string& base,
                          const std::vector<std::string>& methods);
nlohmann::json catalog(const std::string& base);
nlohmann::json project_json(const Project& project, const std::string& base);
nlohmann::json user_json(const User& user, const std::string& base);
nlohmann::json role_json(const Role& role, const std::string& base);

// Keystone's "YYYY-MM-DDTHH:MM:SS.000000Z".
std::string keystone_time(int64_t unix_ms);
// Reads an expires_at back: the fraction is optional, the zone must be UTC ("Z", "+00:00" or
// none, as Keystone renders it). nullopt otherwise.
std::optional<std::chrono::system_clock::time_point> parse_keystone_time(std::string_view text);

http::HttpResponse keystone_json(int status, const nlohmann::json& body);
http::HttpResponse keystone_error(int status, const std::string& message);

}  // namespace octane::identity
