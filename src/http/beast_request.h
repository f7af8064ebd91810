#pragma once

// Beast request -> HttpRequest, shared by the plain and the TLS server. Included only by their
// .cc files, so Beast stays out of every other translation unit.

#include <cctype>
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

}  // namespace octane::http
