#pragma once

// Plain request/response values handed between the Beast transport and the handlers, so that no
// handler (and no test of one) has to include Boost.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace octane::http {

struct HttpRequest {
    std::string method;  // upper case, e.g. "GET"
    std::string target;  // raw request target, path plus query
    std::string path;    // percent-decoded path without the query
    std::string query;   // raw query string without '?'
    std::vector<std::pair<std::string, std::string>> query_params;  // decoded, in order
    std::map<std::string, std::string> headers;                     // names lower-cased
    std::string body;
    std::string host;  // Host header, for absolute links

    const std::string* header(const std::string& lower_name) const {
        auto it = headers.find(lower_name);
        return it == headers.end() ? nullptr : &it->second;
    }

    // The first value of a query parameter.
    std::optional<std::string> query_value(const std::string& key) const {
        for (const auto& [name, value] : query_params) {
            if (name == key) {
                return value;
            }
        }
        return std::nullopt;
    }
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

// Splits and percent-decodes `a=1&b=x%20y` ('+' means space, as in forms and oslo/webob).
std::vector<std::pair<std::string, std::string>> parse_query(const std::string& query);
std::string percent_decode(const std::string& text, bool plus_is_space);
std::string percent_encode(const std::string& text);

// The standard reason phrase of a status ("Not Found"), which OpenStack fault bodies carry as
// their title; "Internal Server Error" for codes it does not know.
std::string reason_phrase(int status);

}  // namespace octane::http
