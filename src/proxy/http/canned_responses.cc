#include "proxy/http/canned_responses.h"

#include <charconv>

namespace octane::proxy::http {
namespace {

struct Page {
    int status;
    std::string_view reason;
    std::string_view text;
};

// HAProxy 2.6's built-in pages, exactly (the 501 text really starts with a '.').
constexpr Page kPages[] = {
    {200, "OK", "Service ready."},
    {400, "Bad request", "Your browser sent an invalid request."},
    {401, "Unauthorized", "You need a valid user and password to access this content."},
    {403, "Forbidden", "Request forbidden by administrative rules."},
    {404, "Not Found", "The resource could not be found."},
    {405, "Method Not Allowed",
     "A request was made of a resource using a request method not supported by that resource"},
    {407, "Unauthorized", "You need a valid user and password to access this content."},
    {408, "Request Time-out", "Your browser didn't send a complete request in time."},
    {410, "Gone", "The resource is no longer available and will not be available again."},
    {413, "Payload Too Large", "The request entity exceeds the maximum allowed."},
    {422, "Unprocessable Content", "The server cannot process the contained instructions."},
    {425, "Too Early", "Your browser sent early data."},
    {429, "Too Many Requests", "You have sent too many requests in a given amount of time."},
    {500, "Internal Server Error", "An internal server error occurred."},
    {501, "Not Implemented",
     ".The server does not support the functionality required to fulfill the request."},
    {502, "Bad Gateway", "The server returned an invalid or incomplete response."},
    {503, "Service Unavailable", "No server is available to handle this request."},
    {504, "Gateway Time-out", "The server didn't respond in time."},
};

const Page* find_page(int status) {
    for (const Page& p : kPages) {
        if (p.status == status) {
            return &p;
        }
    }
    return nullptr;
}

std::string number(size_t n) {
    char buf[24];
    auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, n);
    return std::string(buf, ptr);
}

}  // namespace

std::string_view reason_phrase(int status) {
    if (const Page* p = find_page(status)) {
        return p->reason;
    }
    switch (status) {
        case 100:
            return "Continue";
        case 200:
            return "OK";
        case 301:
            return "Moved Permanently";
        case 302:
            return "Found";
        case 303:
            return "See Other";
        case 307:
            return "Temporary Redirect";
        case 308:
            return "Permanent Redirect";
        default:
            return "Error";
    }
}

namespace {

std::string page_body(int status) {
    const Page* p = find_page(status);
    std::string_view reason = p != nullptr ? p->reason : reason_phrase(status);
    std::string_view text = p != nullptr ? p->text : "";
    return "<html><body><h1>" + number(static_cast<size_t>(status)) + " " + std::string(reason) +
           "</h1>\n" + std::string(text) + "\n</body></html>\n";
}

std::string status_line(int status) {
    return "HTTP/1.1 " + number(static_cast<size_t>(status)) + " " +
           std::string(reason_phrase(status)) + "\r\n";
}

}  // namespace

std::string error_response(int status, bool close) {
    std::string body = page_body(status);
    std::string out = status_line(status) + "content-length: " + number(body.size()) +
                      "\r\ncache-control: no-cache\r\ncontent-type: text/html\r\n";
    if (close || status == 400 || status == 408) {
        out += "connection: close\r\n";
    }
    return out + "\r\n" + body;
}

std::string protocol_error_response(int status) {
    std::string body = page_body(status);
    return status_line(status) + "Content-length: " + number(body.size()) +
           "\r\nCache-Control: no-cache\r\nConnection: close\r\nContent-Type: text/html\r\n\r\n" +
           body;
}

bool is_deny_status(int status) {
    return status != 422 && find_page(status) != nullptr;
}

std::string redirect_response(int code, std::string_view location, std::string_view set_cookie,
                              bool close) {
    std::string out = "HTTP/1.1 " + number(static_cast<size_t>(code)) + " " +
                      std::string(reason_phrase(code)) +
                      "\r\ncontent-length: 0\r\nlocation: " + std::string(location) + "\r\n";
    if (code == 302 || code == 303 || code == 307) {
        out += "cache-control: no-cache\r\n";
    }
    if (!set_cookie.empty()) {
        out += "set-cookie: " + std::string(set_cookie) + "\r\n";
    }
    if (close) {
        out += "connection: close\r\n";
    }
    return out + "\r\n";
}

}  // namespace octane::proxy::http
