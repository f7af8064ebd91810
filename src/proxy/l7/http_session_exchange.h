#pragma once

// Per-connection HTTP buffers and parsers, allocated on the first request byte and reused for
// every later request of the connection.

#include <string>

#include "proxy/http/body_framer.h"
#include "proxy/http/header_map.h"
#include "proxy/http/http_parser.h"
#include "proxy/l7/http_session.h"

namespace octane::proxy {

struct HttpSession::Exchange {
    http::HttpParser req_parser{http::MessageKind::kRequest};
    http::HttpParser resp_parser{http::MessageKind::kResponse};
    http::BodyFramer req_body;
    http::BodyFramer resp_body;
    http::HeaderMap headers;
    std::string in;         // client bytes not consumed yet
    std::string to_server;  // bytes for the server; to_server_off written already
    size_t to_server_off = 0;
    bool to_server_compacted = false;  // part of the request is gone: it cannot be replayed
    std::string resp;                  // server bytes not consumed yet
    std::string to_client;             // bytes for the client; to_client_off written already
    size_t to_client_off = 0;
    bool req_head_done = false;
    bool req_done = false;
    bool req_keep_alive = true;
    bool resp_head_done = false;
    bool resp_started = false;  // response bytes reached the client buffer
    bool resp_keep_alive = true;
    bool close_after_flush = false;
    bool close_announced = false;  // the response to the client says `Connection: close`
    bool insert_cookie = false;
    http::Method method = http::Method::kGet;
    int status = 0;
    std::string request_line;  // for the access log
};

}  // namespace octane::proxy
