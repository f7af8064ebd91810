#pragma once

// One API call as handlers see it, and the handler signature.

#include <functional>

#include <nlohmann/json.hpp>

#include "api/api_context.h"
#include "api/request_context.h"
#include "http/http_message.h"
#include "http/router.h"
#include "model/api_error.h"

namespace octane::api {

using http::Params;

struct Call {
    const http::HttpRequest& request;
    Params params;
    RequestContext context;
    ApiContext& api;

    const std::string& param(const std::string& name) const { return params.at(name); }
};

using ApiHandler = std::function<model::ApiResult<http::HttpResponse>(Call&)>;
using ApiRouter = http::Router<ApiHandler>;

inline http::HttpResponse json_response(int status, const nlohmann::json& body) {
    http::HttpResponse r;
    r.status = status;
    r.body = body.dump();
    return r;
}

inline http::HttpResponse empty_response(int status) {
    http::HttpResponse r;
    r.status = status;
    r.content_type.clear();
    return r;
}

// Parses the body as JSON: 400 "Request is not in valid JSON format" otherwise.
model::ApiResult<nlohmann::json> parse_body(const Call& call);

}  // namespace octane::api
