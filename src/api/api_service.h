#pragma once

// The Octavia v2 API as one HTTP handler: path aliases, request ids, content negotiation, the
// request context of the auth strategy, routing, and the single error boundary that turns
// failures into Octavia's fault body.

#include "api/call.h"

namespace octane::api {

class ApiService {
  public:
    explicit ApiService(ApiContext& context);
    http::HttpResponse handle(const http::HttpRequest& request);

  private:
    http::HttpResponse dispatch(const http::HttpRequest& request, const std::string& path,
                                RequestContext& context);
    ApiContext& api_;
    ApiRouter router_;
};

// {"faultcode": "Client"|"Server", "faultstring": ..., "debuginfo": null}
http::HttpResponse fault_response(const model::ApiError& error);

}  // namespace octane::api
