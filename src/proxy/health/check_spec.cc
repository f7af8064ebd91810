#include "proxy/health/check_spec.h"

namespace octane::proxy::health {

HttpExpect::~HttpExpect() {
    if (compiled_) {
        regfree(&re_);
    }
}

bool HttpExpect::init(const config::HttpCheck& hc, std::string* error) {
    if (!hc.expect_set) {
        return true;
    }
    kind_ = hc.expect_kind;
    value_ = hc.expect_value;
    negate_ = hc.expect_negate;
    if (kind_ == "rstatus" || kind_ == "rstring") {
        int rc = regcomp(&re_, value_.c_str(), REG_EXTENDED | REG_NOSUB);
        if (rc != 0) {
            char buf[256];
            regerror(rc, &re_, buf, sizeof(buf));
            *error = "invalid regex '" + value_ + "': " + buf;
            return false;
        }
        compiled_ = true;
    }
    return true;
}

bool HttpExpect::passes(int status, std::string_view body) const {
    bool ok = false;
    std::string code = std::to_string(status);
    if (kind_.empty()) {
        return status >= 200 && status < 400;
    }
    if (kind_ == "status") {
        ok = code == value_;
    } else if (kind_ == "rstatus") {
        ok = regexec(&re_, code.c_str(), 0, nullptr, 0) == 0;
    } else if (kind_ == "string") {
        ok = body.find(value_) != std::string_view::npos;
    } else if (kind_ == "rstring") {
        std::string b(body);
        ok = regexec(&re_, b.c_str(), 0, nullptr, 0) == 0;
    }
    return negate_ ? !ok : ok;
}

std::string build_http_check_request(const config::HttpCheck& hc) {
    std::string req = hc.method + " " + hc.uri + " " + hc.version;
    // Octavia appends "\r\nHost: name" to the version; it lands as a header line here.
    req += hc.extra;
    req += "\r\n";
    bool has_host = hc.extra.find("\nHost:") != std::string::npos ||
                    hc.extra.find("\nhost:") != std::string::npos;
    for (const auto& [name, value] : hc.send_headers) {
        req += name + ": " + value + "\r\n";
        has_host = has_host || name == "Host" || name == "host";
    }
    if (hc.version == "HTTP/1.1" && !has_host) {
        req += "Host: localhost\r\n";
    }
    req += "Connection: close\r\n\r\n";
    return req;
}

int parse_status_line(std::string_view data, bool* malformed) {
    *malformed = false;
    size_t eol = data.find('\n');
    if (eol == std::string_view::npos) {
        if (data.size() > 1024) {
            *malformed = true;
        }
        return -1;
    }
    std::string_view line = data.substr(0, eol);
    if (line.size() < 12 || line.substr(0, 7) != "HTTP/1." || line[8] != ' ') {
        *malformed = true;
        return -1;
    }
    int code = 0;
    for (size_t i = 9; i < 12; ++i) {
        if (line[i] < '0' || line[i] > '9') {
            *malformed = true;
            return -1;
        }
        code = code * 10 + (line[i] - '0');
    }
    return code;
}

}  // namespace octane::proxy::health
