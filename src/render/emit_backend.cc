// BackendView -> `backend` section text.

#include "render/emit.h"
#include "render/escape.h"

namespace octane::render {
namespace {

void emit_persistence(const BackendView& b, std::string& out) {
    std::string peers = b.stick_peers.empty() ? "" : " peers " + escape_word(b.stick_peers);
    switch (b.persistence) {
        case Persistence::kSourceIp:
            out += "    stick-table type ip size " + escape_word(b.stick_size) + peers + "\n";
            out += "    stick on src\n";
            break;
        case Persistence::kAppCookie:
            out += "    stick-table type string len 64 size " + escape_word(b.stick_size) + peers +
                   "\n";
            out += "    stick store-response res.cook(" + escape_word(b.cookie_name) + ")\n";
            out += "    stick match req.cook(" + escape_word(b.cookie_name) + ")\n";
            break;
        case Persistence::kHttpCookie:
            out += "    cookie SRV insert indirect nocache\n";
            break;
        case Persistence::kNone:
            break;
    }
}

void emit_health(const HealthCheckView& h, std::string& out) {
    out += "    load-server-state-from-file global\n";
    out += "    timeout check " + std::to_string(h.timeout_s) + "s\n";
    if (h.type == "HTTP" || h.type == "HTTPS") {
        // Octavia smuggles the version (and a Host header) into `option httpchk`; haproxy 2.6
        // warns that this is deprecated but accepts it.
        out += "    option httpchk " + escape_word(h.http_method) + " " + escape_word(h.url_path);
        if (h.http_version == "1.1" && !h.domain_name.empty()) {
            out += " HTTP/1.1\\r\\nHost:\\ " + escape_word(h.domain_name);
        } else if (!h.http_version.empty()) {
            out += " HTTP/" + escape_word(h.http_version) + "\\r\\n";
        }
        std::string codes;
        for (const std::string& c : h.expected_codes) {
            codes += (codes.empty() ? "" : "|") + c;
        }
        out += "\n    http-check expect rstatus " + escape_word(codes) + "\n";
    } else if (h.type == "TLS-HELLO") {
        out += "    option ssl-hello-chk\n";
    } else if (h.type == "PING") {
        out += "    option external-check\n";
        out += "    external-check command " + escape_word(h.ping_wrapper) + "\n";
    }
}

std::string check_options(const ServerView& s) {
    if (!s.check) {
        return "";
    }
    std::string o = " check";
    if (s.check_ssl) {
        o += " check-ssl verify none";
    }
    if (!s.check_alpn.empty()) {
        o += " check-alpn " + escape_word(s.check_alpn);
    }
    o += " inter " + std::to_string(s.inter_s) + "s fall " + std::to_string(s.fall) + " rise " +
         std::to_string(s.rise);
    if (!s.check_addr.empty()) {
        o += " addr " + escape_word(s.check_addr);
    }
    if (s.check_port) {
        o += " port " + std::to_string(s.check_port);
    }
    return o;
}

std::string tls_options(const ServerView& s) {
    if (!s.ssl) {
        return "";
    }
    std::string o = " ssl";
    o += s.crt.empty() ? "" : " crt " + escape_word(s.crt);
    o += s.ca_file.empty() ? "" : " ca-file " + escape_word(s.ca_file);
    o += s.crl_file.empty() ? "" : " crl-file " + escape_word(s.crl_file);
    o += s.verify.empty() ? "" : " verify " + s.verify;
    o += " sni ssl_fc_sni";
    o += s.ciphers ? " ciphers " + escape_word(*s.ciphers) : "";
    o += s.tls_versions ? no_tls_options(*s.tls_versions) : "";
    o += s.alpn ? " alpn " + escape_word(*s.alpn) : "";
    return o;
}

std::string server_line(const ServerView& s) {
    std::string line = "    server " + escape_word(s.id) + " " + escape_word(s.address) + ":" +
                       std::to_string(s.port) + " weight " + std::to_string(s.weight);
    line += check_options(s);
    line += s.cookie ? " cookie " + escape_word(s.id) : "";
    line += s.send_proxy.empty() ? "" : " " + s.send_proxy;
    line += s.backup ? " backup" : "";
    line += s.disabled ? " disabled" : "";
    line += tls_options(s);
    return line + "\n";
}

}  // namespace

void emit_backend(const BackendView& b, std::string& out) {
    out += "backend " + escape_word(b.name) + "\n";
    out += "    mode " + b.mode + "\n";
    if (b.http_reuse) {
        out += "    http-reuse safe\n";
    }
    if (!b.balance_key_rule.empty()) {
        out += "    " + b.balance_key_rule + "\n";
    }
    out += "    balance " + b.balance + "\n";
    emit_persistence(b, out);
    if (b.health) {
        emit_health(*b.health, out);
    }
    for (const std::string& directive : b.header_directives) {
        out += "    " + directive + "\n";
    }
    out += "    fullconn " + std::to_string(b.fullconn) + "\n";
    out += "    option allbackups\n";
    out += "    timeout connect " + std::to_string(b.timeout_connect) + "\n";
    out += "    timeout server " + std::to_string(b.timeout_server) + "\n";
    for (const ServerView& s : b.servers) {
        out += server_line(s);
    }
}

}  // namespace octane::render
