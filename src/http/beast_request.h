#pragma once

// Beast request -> HttpRequest and HttpResponse -> Beast response, shared by the plain and the
// TLS server. Included only by their .cc files, so Beast stays out of every other translation
// unit.

#include <cctype>
#include <memory>
#include <string>

#include <boost/beast/http.hpp>

#include "http/http_message.h"

namespace octane::http {

inline HttpRequest to_request(
    const boost::beast::http::request<boost::beast::http::string_body>& in) {
    HttpRequest out;
    out.method = std::string(in.method_string());
    out.target = std::string(in.target());
    size_t q = out.target.find('?');
    out.path = percent_decode(out.target.substr(0, q), false);
    if (q != std::string::npos) {
        out.query = out.target.substr(q + 1);
        out.query_params = parse_query(out.query);
    }
    for (const auto& field : in) {
        std::string name(field.name_string());
        for (char& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        out.headers[name] = std::string(field.value());
    }
    out.host = std::string(in[boost::beast::http::field::host]);
    out.body = in.body();
    return out;
}

using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;

// The wire form of a handler's answer; an empty server name sends no Server header.
inline std::shared_ptr<BeastResponse> to_beast_response(HttpResponse response, unsigned version,
                                                        bool keep_alive,
                                                        const std::string& server_name) {
    namespace bhttp = boost::beast::http;
    auto out = std::make_shared<BeastResponse>();
    out->version(version);
    out->result(static_cast<unsigned>(response.status));
    if (!server_name.empty()) {
        out->set(bhttp::field::server, server_name);
    }
    if (!response.body.empty() || response.status != 204) {
        out->set(bhttp::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) {
        out->insert(name, value);
    }
    out->body() = std::move(response.body);
    out->keep_alive(keep_alive);
    out->prepare_payload();
    return out;
}

// A JSON error answer of the server itself (malformed or oversized request): closes after.
inline std::shared_ptr<BeastResponse> error_response(int status, std::string json_body) {
    return to_beast_response(HttpResponse{status, "application/json", {}, std::move(json_body)}, 11,
                             false, "");
}

}  // namespace octane::http
