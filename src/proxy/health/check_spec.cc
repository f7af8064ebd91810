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

std::string build_tls_client_hello() {
    auto u16 = [](std::string& s, unsigned v) {
        s.push_back(static_cast<char>((v >> 8) & 0xff));
        s.push_back(static_cast<char>(v & 0xff));
    };
    std::string body;
    u16(body, 0x0303);              // client_version TLS 1.2
    for (int i = 0; i < 32; ++i) {  // random: any value will do for a probe
        body.push_back(static_cast<char>(0x5a ^ i));
    }
    body.push_back(0);  // no session id
    const unsigned suites[] = {0xc02f, 0xc030, 0xc02b, 0xc02c, 0x009c, 0x009d, 0x002f, 0x0035};
    u16(body, sizeof(suites) / sizeof(suites[0]) * 2);
    for (unsigned s : suites) {
        u16(body, s);
    }
    body.push_back(1);  // one compression method: null
    body.push_back(0);
    std::string ext;
    u16(ext, 0x000a);  // supported_groups: x25519, secp256r1, secp384r1
    u16(ext, 8);
    u16(ext, 6);
    u16(ext, 0x001d);
    u16(ext, 0x0017);
    u16(ext, 0x0018);
    u16(ext, 0x000b);  // ec_point_formats: uncompressed
    u16(ext, 2);
    ext.push_back(1);
    ext.push_back(0);
    u16(ext, 0x000d);  // signature_algorithms
    const unsigned sigs[] = {0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0201};
    u16(ext, 2 + static_cast<unsigned>(sizeof(sigs) / sizeof(sigs[0])) * 2);
    u16(ext, static_cast<unsigned>(sizeof(sigs) / sizeof(sigs[0])) * 2);
    for (unsigned s : sigs) {
        u16(ext, s);
    }
    u16(body, static_cast<unsigned>(ext.size()));
    body += ext;
    std::string hs;
    hs.push_back(1);  // ClientHello
    hs.push_back(static_cast<char>((body.size() >> 16) & 0xff));
    u16(hs, static_cast<unsigned>(body.size() & 0xffff));
    hs += body;
    std::string rec;
    rec.push_back(0x16);  // handshake record
    u16(rec, 0x0301);
    u16(rec, static_cast<unsigned>(hs.size()));
    rec += hs;
    return rec;
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
