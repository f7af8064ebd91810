#include "agent/request_validation.h"

#include <arpa/inet.h>

#include "common/strings.h"

namespace octane::agent {
namespace {

bool is_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

}  // namespace

bool is_safe_id(std::string_view id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    for (char c : id) {
        if (!is_name_char(c)) {
            return false;
        }
    }
    return true;
}

bool is_certificate_filename(std::string_view name) {
    constexpr std::string_view kSuffix = ".pem";
    if (name.size() <= kSuffix.size() || name.size() > 255 || name.front() == '.' ||
        name.substr(name.size() - kSuffix.size()) != kSuffix) {
        return false;
    }
    for (char c : name) {
        if (!is_name_char(c) && c != '.') {
            return false;
        }
    }
    return true;
}

std::optional<LbAction> parse_lb_action(std::string_view action) {
    if (action == "start") {
        return LbAction::kStart;
    }
    if (action == "stop") {
        return LbAction::kStop;
    }
    if (action == "reload") {
        return LbAction::kReload;
    }
    return std::nullopt;
}

Result<std::vector<wire::InterfaceRule>> validate_interface_rules(const nlohmann::json& body) {
    if (!body.is_array()) {
        return make_error("rules must be a JSON array");
    }
    std::vector<wire::InterfaceRule> rules;
    for (size_t i = 0; i < body.size(); ++i) {
        const auto& item = body[i];
        std::string where = "rule " + std::to_string(i) + ": ";
        if (!item.is_object()) {
            return make_error(where + "must be an object");
        }
        for (const auto& [key, value] : item.items()) {
            if (key != "protocol" && key != "cidr" && key != "port") {
                return make_error(where + "unexpected key '" + key + "'");
            }
        }
        if (!item.contains("protocol") || !item.contains("cidr") || !item.contains("port")) {
            return make_error(where + "protocol, cidr and port are required");
        }
        const auto& protocol = item["protocol"];
        if (!protocol.is_string() ||
            (protocol != "TCP" && protocol != "UDP" && protocol != "SCTP" && protocol != "VRRP")) {
            return make_error(where + "protocol must be one of TCP, UDP, SCTP, VRRP");
        }
        const auto& cidr = item["cidr"];
        if (!cidr.is_null() && !cidr.is_string()) {
            return make_error(where + "cidr must be a string or null");
        }
        const auto& port = item["port"];
        if (!port.is_number_integer() || port.get<int64_t>() < 1 || port.get<int64_t>() > 65535) {
            return make_error(where + "port must be an integer in 1..65535");
        }
        wire::InterfaceRule rule;
        rule.protocol = protocol.get<std::string>();
        if (cidr.is_string()) {
            rule.cidr = cidr.get<std::string>();
        }
        rule.port = port.get<int>();
        rules.push_back(std::move(rule));
    }
    return rules;
}

bool is_ip_address(const std::string& text) {
    unsigned char buffer[16];
    return inet_pton(AF_INET, text.c_str(), buffer) == 1 ||
           inet_pton(AF_INET6, text.c_str(), buffer) == 1;
}

Result<Endpoint> parse_endpoint(std::string_view text) {
    text = trim(text);
    size_t colon = text.rfind(':');
    if (colon == std::string_view::npos) {
        return make_error("expected ip:port, got '" + std::string(text) + "'");
    }
    std::string host(text.substr(0, colon));
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    std::string port_text(text.substr(colon + 1));
    int port = 0;
    for (char c : port_text) {
        if (c < '0' || c > '9' || port > 65535) {
            return make_error("bad port in '" + std::string(text) + "'");
        }
        port = port * 10 + (c - '0');
    }
    if (port_text.empty() || port < 1 || port > 65535 || !is_ip_address(host)) {
        return make_error("expected ip:port, got '" + std::string(text) + "'");
    }
    return Endpoint{host, static_cast<uint16_t>(port)};
}

Result<std::vector<Endpoint>> parse_endpoint_list(std::string_view text) {
    std::vector<Endpoint> out;
    for (const auto& part : split(text, ',')) {
        if (trim(part).empty()) {
            continue;
        }
        auto endpoint = parse_endpoint(part);
        if (!endpoint) {
            return Unexpected(endpoint.error());
        }
        out.push_back(*endpoint);
    }
    return out;
}

}  // namespace octane::agent
