#pragma once

// A minimal blocking HTTP/1.1 client (http:// only, Connection: close, bounded by a timeout) for
// the few calls to an external Keystone. Not for bulk traffic.

#include <map>
#include <string>
#include <vector>

#include "common/result.h"

namespace octane::identity {

struct PlainHttpReply {
    int status = 0;
    std::map<std::string, std::string> headers;  // names lower-cased
    std::string body;
};

Result<PlainHttpReply> plain_http_call(
    const std::string& method, const std::string& url,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
    int timeout_ms = 5000);

}  // namespace octane::identity
