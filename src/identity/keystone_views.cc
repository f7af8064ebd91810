#include "identity/keystone_views.h"

#include <ctime>

#include "common/uuid.h"

namespace octane::identity {
namespace {

using nlohmann::json;

constexpr const char* kRegion = "RegionOne";

json domain_ref(const std::string& domain_id) {
    return {{"id", domain_id}, {"name", kDefaultDomainName}};
}

json service(const std::string& type, const std::string& name, const std::string& url) {
    std::string id = make_name_uuid("octane-service:" + type);
    json endpoints = json::array();
    for (const char* interface : {"public", "internal", "admin"}) {
        endpoints.push_back({{"id", make_name_uuid(id + interface)},
                             {"interface", interface},
                             {"region", kRegion},
                             {"region_id", kRegion},
                             {"url", url}});
    }
    return {{"id", id}, {"type", type}, {"name", name}, {"endpoints", endpoints}};
}

// Keystone's: the token's own audit id, then the chain's when it was derived from another token.
json audit_ids(const TokenInfo& info) {
    json ids = json::array({info.audit_id});
    if (!info.audit_chain_id.empty() && info.audit_chain_id != info.audit_id) {
        ids.push_back(info.audit_chain_id);
    }
    return ids;
}

}  // namespace

std::string keystone_time(int64_t unix_ms) {
    std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buffer[40];
    std::strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%S", &tm);
    char micro[16];
    std::snprintf(micro, sizeof(micro), ".%06dZ", static_cast<int>(unix_ms % 1000) * 1000);
    return std::string(buffer) + micro;
}

std::optional<std::chrono::system_clock::time_point> parse_keystone_time(std::string_view text) {
    std::string copy(text);
    std::tm tm{};
    const char* rest = strptime(copy.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
    if (!rest) {
        return std::nullopt;
    }
    std::chrono::microseconds fraction{0};
    if (*rest == '.') {
        ++rest;
        int64_t scale = 100000, micros = 0;
        const char* digits = rest;
        for (; *rest >= '0' && *rest <= '9'; ++rest) {
            micros += (*rest - '0') * scale;
            scale /= 10;
        }
        if (rest == digits) {
            return std::nullopt;
        }
        fraction = std::chrono::microseconds(micros);
    }
    std::string_view zone(rest);
    if (!zone.empty() && zone != "Z" && zone != "+00:00") {
        return std::nullopt;
    }
    return std::chrono::system_clock::from_time_t(timegm(&tm)) + fraction;
}

json version_v3(const std::string& base) {
    return {
        {"id", "v3.14"},
        {"status", "stable"},
        {"updated", "2020-04-07T00:00:00Z"},
        {"links", json::array({{{"rel", "self"}, {"href", base + "/identity/v3/"}}})},
        {"media-types", json::array({{{"base", "application/json"},
                                      {"type", "application/vnd.openstack.identity-v3+json"}}})}};
}

json catalog(const std::string& base) {
    return json::array({service("identity", "keystone", base + "/identity/v3"),
                        service("load-balancer", "octavia", base),
                        service("network", "neutron", base + "/networking"),
                        service("key-manager", "barbican", base + "/key-manager")});
}

json token_body(const TokenInfo& info, const std::string& base,
                const std::vector<std::string>& methods) {
    json token = {{"methods", methods},
                  {"user",
                   {{"id", info.user.id},
                    {"name", info.user.name},
                    {"domain", domain_ref(info.user.domain_id)},
                    {"password_expires_at", nullptr}}},
                  {"audit_ids", audit_ids(info)},
                  {"expires_at", keystone_time(info.expires_ms)},
                  {"issued_at", keystone_time(info.issued_ms)}};
    if (info.system) {
        token["system"] = {{"all", true}};
    }
    if (info.project) {
        token["project"] = {{"id", info.project->id},
                            {"name", info.project->name},
                            {"domain", domain_ref(info.project->domain_id)}};
        token["is_domain"] = false;
    }
    if (info.project || info.system) {
        json roles = json::array();
        for (const auto& role : info.roles) {
            roles.push_back({{"id", role.id}, {"name", role.name}});
        }
        token["roles"] = roles;
        token["catalog"] = catalog(base);
    }
    return {{"token", token}};
}

json project_json(const Project& project, const std::string& base) {
    return {{"id", project.id},
            {"name", project.name},
            {"domain_id", project.domain_id},
            {"description", project.description},
            {"enabled", project.enabled},
            {"is_domain", false},
            {"parent_id", project.domain_id},
            {"tags", json::array()},
            {"options", json::object()},
            {"links", {{"self", base + "/identity/v3/projects/" + project.id}}}};
}

json user_json(const User& user, const std::string& base) {
    json out = {{"id", user.id},
                {"name", user.name},
                {"domain_id", user.domain_id},
                {"enabled", user.enabled},
                {"password_expires_at", nullptr},
                {"options", json::object()},
                {"links", {{"self", base + "/identity/v3/users/" + user.id}}}};
    if (user.default_project_id) {
        out["default_project_id"] = *user.default_project_id;
    }
    return out;
}

json role_json(const Role& role, const std::string& base) {
    return {{"id", role.id},
            {"name", role.name},
            {"domain_id", nullptr},
            {"description", nullptr},
            {"options", json::object()},
            {"links", {{"self", base + "/identity/v3/roles/" + role.id}}}};
}

http::HttpResponse keystone_json(int status, const json& body) {
    http::HttpResponse response;
    response.status = status;
    response.body = body.dump();
    return response;
}

http::HttpResponse keystone_error(int status, const std::string& message) {
    return keystone_json(
        status,
        {{"error",
          {{"code", status}, {"title", http::reason_phrase(status)}, {"message", message}}}});
}

}  // namespace octane::identity
