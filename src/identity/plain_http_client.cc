#include "identity/plain_http_client.h"

#include <netdb.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "common/strings.h"

namespace octane::identity {
namespace {

struct Url {
    std::string host, port = "80", path = "/";
};

Result<Url> parse_url(const std::string& url) {
    const std::string scheme = "http://";
    if (!starts_with(url, scheme)) {
        return make_error("only http:// URLs are supported: " + url);
    }
    std::string rest = url.substr(scheme.size());
    Url out;
    auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    if (slash != std::string::npos) {
        out.path = rest.substr(slash);
    }
    auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']') == std::string::npos) {
        out.host = authority.substr(0, colon);
        out.port = authority.substr(colon + 1);
    } else {
        out.host = authority;
    }
    if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
        out.host = out.host.substr(1, out.host.size() - 2);
    }
    if (out.host.empty()) {
        return make_error("no host in URL " + url);
    }
    return out;
}

std::string dechunk(const std::string& body) {
    std::string out;
    size_t pos = 0;
    while (pos < body.size()) {
        auto eol = body.find("\r\n", pos);
        if (eol == std::string::npos) {
            break;
        }
        size_t size = std::stoul(body.substr(pos, eol - pos), nullptr, 16);
        if (size == 0 || eol + 2 + size > body.size()) {
            break;
        }
        out += body.substr(eol + 2, size);
        pos = eol + 2 + size + 2;
    }
    return out;
}

}  // namespace

Result<PlainHttpReply> plain_http_call(
    const std::string& method, const std::string& url,
    const std::vector<std::pair<std::string, std::string>>& headers, const std::string& body,
    int timeout_ms) {
    auto parsed = parse_url(url);
    if (!parsed) {
        return Unexpected(parsed.error());
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (getaddrinfo(parsed->host.c_str(), parsed->port.c_str(), &hints, &found) != 0 || !found) {
        return make_error("cannot resolve " + parsed->host);
    }
    int fd = -1;
    timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
    for (addrinfo* ai = found; ai && fd < 0; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            continue;
        }
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
            close(fd);
            fd = -1;
        }
    }
    freeaddrinfo(found);
    if (fd < 0) {
        return make_error("cannot connect to " + parsed->host + ":" + parsed->port);
    }
    std::string request = method + " " + parsed->path + " HTTP/1.1\r\nHost: " + parsed->host + ":" +
                          parsed->port + "\r\nConnection: close\r\nAccept: application/json\r\n";
    for (const auto& [name, value] : headers) {
        request += name + ": " + value + "\r\n";
    }
    if (!body.empty() || method == "POST" || method == "PUT") {
        request +=
            "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n";
    }
    request += "\r\n" + body;
    size_t sent = 0;
    while (sent < request.size()) {
        ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            close(fd);
            return make_error("send to " + url + " failed");
        }
        sent += static_cast<size_t>(n);
    }
    std::string raw;
    char buffer[8192];
    constexpr size_t kMaxReply = 4 * 1024 * 1024;
    while (raw.size() < kMaxReply) {
        ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
        if (n < 0) {
            close(fd);
            return make_error("receive from " + url + " failed or timed out");
        }
        if (n == 0) {
            break;
        }
        raw.append(buffer, static_cast<size_t>(n));
    }
    close(fd);
    auto head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos || !starts_with(raw, "HTTP/1.")) {
        return make_error("malformed HTTP reply from " + url);
    }
    PlainHttpReply reply;
    auto lines = split(std::string_view(raw).substr(0, head_end), '\n');
    auto status_parts = split(lines[0], ' ');
    if (status_parts.size() < 2) {
        return make_error("malformed status line from " + url);
    }
    reply.status = std::atoi(status_parts[1].c_str());
    for (size_t i = 1; i < lines.size(); ++i) {
        auto colon = lines[i].find(':');
        if (colon != std::string::npos) {
            reply.headers[to_lower(trim(lines[i].substr(0, colon)))] =
                std::string(trim(lines[i].substr(colon + 1)));
        }
    }
    reply.body = raw.substr(head_end + 4);
    auto te = reply.headers.find("transfer-encoding");
    if (te != reply.headers.end() && to_lower(te->second).find("chunked") != std::string::npos) {
        reply.body = dechunk(reply.body);
    }
    return reply;
}

}  // namespace octane::identity
