#include "keymanager/barbican_views.h"

#include <spdlog/spdlog.h>

namespace octane::keymanager {

using nlohmann::json;

http::HttpResponse km_json(int status, const json& body) {
    http::HttpResponse response;
    response.status = status;
    response.body = body.dump();
    return response;
}

http::HttpResponse km_fault(const KmError& error) {
    return km_json(error.status, error_body(error));
}

http::HttpResponse forbidden(const std::string& operation) {
    return km_fault(
        {403, operation + " attempt not allowed - please review your user/project privileges"});
}

http::HttpResponse internal_error(const std::string& operation, const Error& error) {
    spdlog::error("key-manager {}: {}", operation, error.message);
    return km_fault({500, operation + " failure seen - please contact site administrator."});
}

json secret_json(const SecretRow& s, const std::string& v1) {
    json out = {{"secret_ref", v1 + "/secrets/" + s.id},
                {"name", s.name.empty() ? json(nullptr) : json(s.name)},
                {"secret_type", s.secret_type},
                {"status", "ACTIVE"},
                {"created", s.created},
                {"updated", s.updated},
                {"expiration", s.expiration ? json(*s.expiration) : json(nullptr)},
                {"algorithm", s.algorithm ? json(*s.algorithm) : json(nullptr)},
                {"bit_length", s.bit_length ? json(*s.bit_length) : json(nullptr)},
                {"mode", s.mode ? json(*s.mode) : json(nullptr)},
                {"creator_id", s.creator_id}};
    if (s.content_type) {
        out["content_types"] = {{"default", *s.content_type}};
    }
    return out;
}

json container_json(const ContainerRow& c, const std::string& v1) {
    json refs = json::array();
    for (const auto& ref : c.secret_refs) {
        refs.push_back({{"name", ref.name}, {"secret_ref", v1 + "/secrets/" + ref.secret_id}});
    }
    return {{"container_ref", v1 + "/containers/" + c.id},
            {"name", c.name.empty() ? json(nullptr) : json(c.name)},
            {"type", c.type},
            {"status", "ACTIVE"},
            {"created", c.created},
            {"updated", c.updated},
            {"creator_id", c.creator_id},
            {"secret_refs", refs},
            {"consumers", json::array()}};
}

json acl_json(const AclRow& row) {
    if (!row.acl.exists) {
        return {{"read", {{"project-access", true}}}};
    }
    return {{"read",
             {{"project-access", row.acl.project_access},
              {"users", row.acl.users},
              {"created", row.created},
              {"updated", row.updated}}}};
}

Page page_of(const http::HttpRequest& request) {
    Page page;
    auto number = [&](const char* key, int64_t fallback) {
        auto text = request.query_value(key);
        if (!text) {
            return fallback;
        }
        try {
            return static_cast<int64_t>(std::stoll(*text));
        } catch (const std::exception&) {
            return fallback;
        }
    };
    page.offset = std::max<int64_t>(0, number("offset", 0));
    page.limit = std::clamp<int64_t>(number("limit", 10), 1, 100);
    return page;
}

json page_json(const std::string& collection, json items, int64_t total, Page page,
               const std::string& v1, const std::string& name) {
    json out = {{collection, std::move(items)}, {"total", total}};
    if (out[collection].empty()) {
        return out;
    }
    const std::string filter = name.empty() ? "" : "&name=" + http::percent_encode(name);
    auto href = [&](int64_t offset) {
        return v1 + "/" + collection + "?limit=" + std::to_string(page.limit) +
               "&offset=" + std::to_string(offset) + filter;
    };
    if (page.offset + page.limit < total) {
        out["next"] = href(page.offset + page.limit);
    }
    if (page.offset > 0) {
        out["previous"] = href(std::max<int64_t>(0, page.offset - page.limit));
    }
    return out;
}

}  // namespace octane::keymanager
