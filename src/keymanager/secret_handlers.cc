// /v1/secrets: create (with or without payload), list, metadata, payload, PUT payload, delete.

#include <nlohmann/json.hpp>

#include "common/strings.h"
#include "common/uuid.h"
#include "keymanager/barbican_views.h"

namespace octane::keymanager {
namespace {

using nlohmann::json;

std::string header_or(const http::HttpRequest& request, const char* name, std::string fallback) {
    const auto* value = request.header(name);
    return value && !value->empty() ? *value : fallback;
}

// The media type without parameters, lower-cased ("text/plain; charset=utf-8" keeps its
// charset, which normalize_content_type understands).
std::string media_type(const std::string& header) {
    std::string type = header;
    if (auto comma = type.find(','); comma != std::string::npos) {
        type.resize(comma);
    }
    return type;
}

bool json_accept(const http::HttpRequest& request) {
    const std::string accept = header_or(request, "accept", "");
    return accept.empty() || accept == "application/json" || accept == "*/*";
}

bool is_utf8(const std::string& s) {
    size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        const size_t n = c < 0x80         ? 1
                         : (c >> 5) == 6  ? 2
                         : (c >> 4) == 14 ? 3
                         : (c >> 3) == 30 ? 4
                                          : 0;
        if (n == 0 || i + n > s.size()) {
            return false;
        }
        for (size_t k = 1; k < n; ++k) {
            if ((static_cast<unsigned char>(s[i + k]) >> 6) != 2) {
                return false;
            }
        }
        i += n;
    }
    return true;
}

Target target_of(const SecretRow& secret, const Acl& read) {
    return Target{secret.project_id, secret.creator_id, read};
}

}  // namespace

http::HttpResponse BarbicanService::create_secret(Call& call) {
    const std::string op = "Secret creation";
    if (!allowed(Action::kCreate, call.subject, nullptr, false)) {
        return forbidden(op);
    }
    const std::string content_type = header_or(call.request, "content-type", "application/json");
    if (media_type(content_type).rfind("application/json", 0) != 0) {
        return km_fault({415,
                         "Unexpected content type. Expected content types are: "
                         "['application/json']"});
    }
    if (call.request.body.size() > kMaxRequestBytes) {
        return km_fault(issue(op, 413, "Provided information too large to process"));
    }
    json body = json::parse(call.request.body, nullptr, false);
    if (body.is_discarded()) {
        return km_fault({400, "Malformed JSON"});
    }
    auto parsed = parse_new_secret(body);
    if (!parsed) {
        return km_fault(parsed.error());
    }
    SecretRow row;
    row.id = make_uuid();
    row.project_id = call.subject.project_id;
    row.creator_id = call.subject.user_id;
    row.name = parsed->name;
    row.secret_type = parsed->secret_type;
    row.algorithm = parsed->algorithm;
    row.bit_length = parsed->bit_length;
    row.mode = parsed->mode;
    row.expiration = parsed->expiration;
    if (parsed->payload) {
        auto sealed = cipher_.encrypt(*parsed->payload);
        if (!sealed) {
            return internal_error(op, sealed.error());
        }
        row.sealed = std::move(*sealed);
        row.content_type = parsed->content_type;
    }
    row.created = row.updated = now();
    if (auto done = secrets_.create(row); !done) {
        return internal_error(op, done.error());
    }
    auto response = km_json(201, {{"secret_ref", call.v1 + "/secrets/" + row.id}});
    response.headers.emplace_back("Location", call.v1 + "/secrets/" + row.id);
    return response;
}

http::HttpResponse BarbicanService::list_secrets(Call& call) {
    const std::string op = "Secret(s) retrieval";
    if (!allowed(Action::kList, call.subject, nullptr, false)) {
        return forbidden(op);
    }
    const Page page = page_of(call.request);
    const std::string name = call.request.query_value("name").value_or("");
    auto listed = secrets_.list(call.subject.project_id, name, page);
    if (!listed) {
        return internal_error(op, listed.error());
    }
    json items = json::array();
    for (const auto& secret : listed->first) {
        items.push_back(secret_json(secret, call.v1));
    }
    return km_json(200,
                   page_json("secrets", std::move(items), listed->second, page, call.v1, name));
}

Result<BarbicanService::FoundSecret, http::HttpResponse> BarbicanService::find_secret(Call& call) {
    const std::string& id = call.params.at("id");
    if (!is_uuid(id)) {
        return Unexpected(km_fault({404, "Not Found. Provided secret id is invalid."}));
    }
    auto found = secrets_.get(id);
    if (!found) {
        return Unexpected(internal_error("Secret retrieval", found.error()));
    }
    if (!*found) {
        return Unexpected(km_fault({404, "Secret not found."}));
    }
    auto acl_row = acls_.get(id);
    if (!acl_row) {
        return Unexpected(internal_error("Secret retrieval", acl_row.error()));
    }
    Target target = target_of(**found, acl_row->acl);
    return FoundSecret{std::move(**found), std::move(target)};
}

Result<BarbicanService::FoundSecret, http::HttpResponse> BarbicanService::permitted_secret(
    Call& call, Action action, const std::string& operation) {
    auto found = find_secret(call);
    if (found && !allowed(action, call.subject, &found->target, false)) {
        return Unexpected(forbidden(operation));
    }
    return found;
}

// GET /v1/secrets/{id}: the metadata, or the payload when the client does not accept JSON.
http::HttpResponse BarbicanService::show_secret(Call& call) {
    if (!json_accept(call.request)) {
        return payload(call, "Secret retrieval");
    }
    auto found = permitted_secret(call, Action::kGet, "Secret retrieval");
    if (!found) {
        return found.error();
    }
    return km_json(200, secret_json(found->row, call.v1));
}

http::HttpResponse BarbicanService::show_payload(Call& call) {
    return payload(call, "Secret payload retrieval");
}

http::HttpResponse BarbicanService::payload(Call& call, const std::string& op) {
    auto found = permitted_secret(call, Action::kDecrypt, op);
    if (!found) {
        return found.error();
    }
    const auto& request = call.request;
    const SecretRow& secret = found->row;
    if (!secret.sealed) {
        return km_fault({404, "Not Found. Sorry but your secret has no payload."});
    }
    std::string accept = media_type(header_or(request, "accept", "application/octet-stream"));
    if (accept == "*/*") {
        accept = secret.content_type.value_or("application/octet-stream");
    }
    accept = normalize_content_type(accept);
    if (!supported_content_type(accept)) {
        return km_fault(issue(op, 406, "Wrong payload content-type"));
    }
    auto plain = cipher_.decrypt(*secret.sealed);
    if (!plain) {
        return internal_error(op, plain.error());
    }
    if (accept == "text/plain" && !is_utf8(*plain)) {
        return km_fault(issue(op, 406, "Wrong payload content-type"));
    }
    http::HttpResponse response;
    response.content_type = accept == "text/plain" ? "text/plain; charset=UTF-8" : accept;
    response.body = std::move(*plain);
    return response;
}

http::HttpResponse BarbicanService::put_payload(Call& call) {
    const std::string op = "Secret update";
    auto found = permitted_secret(call, Action::kPut, op);
    if (!found) {
        return found.error();
    }
    const auto& request = call.request;
    const SecretRow& secret = found->row;
    const std::string type =
        normalize_content_type(media_type(header_or(request, "content-type", "")));
    if (type != "application/octet-stream" && type != "text/plain") {
        return km_fault({415,
                         "Unexpected content type. Expected content types are: "
                         "['application/octet-stream', 'text/plain']"});
    }
    if (request.body.empty()) {
        return km_fault(issue(op, 400, "No data supplied to process"));
    }
    if (request.body.size() > kMaxSecretBytes) {
        return km_fault(issue(op, 413, "Provided information too large to process"));
    }
    std::string payload = request.body;
    if (to_lower(header_or(request, "content-encoding", "")) == "base64") {
        auto decoded = base64_decode(payload);
        if (!decoded) {
            return km_fault(issue(op, 400, "Unable to decode request data"));
        }
        payload = std::move(*decoded);
    }
    if (secret.sealed) {
        return km_fault({409, "Secret already has data, cannot modify it."});
    }
    auto sealed = cipher_.encrypt(payload);
    if (!sealed) {
        return internal_error(op, sealed.error());
    }
    auto stored = secrets_.set_payload(secret.id, type, *sealed, now());
    if (!stored) {
        return internal_error(op, stored.error());
    }
    if (!*stored) {
        return km_fault({409, "Secret already has data, cannot modify it."});
    }
    http::HttpResponse response;
    response.status = 204;
    return response;
}

http::HttpResponse BarbicanService::delete_secret(Call& call) {
    const std::string op = "Secret deletion";
    auto found = permitted_secret(call, Action::kDelete, op);
    if (!found) {
        return found.error();
    }
    const SecretRow& secret = found->row;
    if (auto done = secrets_.remove(secret.id); !done) {
        return internal_error(op, done.error());
    }
    if (auto done = acls_.remove(secret.id); !done) {
        return internal_error(op, done.error());
    }
    http::HttpResponse response;
    response.status = 204;
    return response;
}

http::HttpResponse BarbicanService::secret_acl(Call& call) {
    auto found = find_secret(call);
    return found ? acl(call, found->row.id, false, found->target) : found.error();
}

}  // namespace octane::keymanager
