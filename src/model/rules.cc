#include "model/rules.h"

#include <map>
#include <regex>
#include <set>

#include "model/ip_address.h"

namespace octane::model {
namespace {

using nlohmann::json;

std::string text_of(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool is_set(const json& object, const char* key) {
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) {
        return false;
    }
    if (it->is_array() || it->is_object()) {
        return !it->empty();
    }
    return true;
}

bool regex_compiles(const std::string& value) {
    try {
        std::regex compiled(value);
        return true;
    } catch (const std::regex_error&) {
        return false;
    }
}

// Octavia's HTTP header value rules (RFC 7230): one or more visible characters, or a double-quoted
// string of visible characters, spaces and tabs.
bool header_value_ok(const std::string& value) {
    auto visible = [](unsigned char c) { return c >= 0x21 && c <= 0x7e; };
    bool plain = !value.empty();
    for (unsigned char c : value) {
        plain = plain && visible(c);
    }
    if (plain) {
        return true;
    }
    if (value.size() < 2 || value.front() != '"' || value.back() != '"') {
        return false;
    }
    for (size_t i = 1; i + 1 < value.size(); ++i) {
        auto c = static_cast<unsigned char>(value[i]);
        if (!visible(c) && c != ' ' && c != '\t') {
            return false;
        }
    }
    return true;
}

bool token_ok(const std::string& value) {
    static const std::string kSeparators = "()<>@,;:\\\"/[]?={} \t";
    if (value.empty()) {
        return false;
    }
    for (unsigned char c : value) {
        if (c < 0x21 || c > 0x7e || kSeparators.find(static_cast<char>(c)) != std::string::npos) {
            return false;
        }
    }
    return true;
}

// Octavia's cookie value rule (RFC 6265 cookie-octets, and the comma its pattern lets through).
bool cookie_value_ok(const std::string& value) {
    if (value.empty()) {
        return false;
    }
    for (unsigned char c : value) {
        if (c < 0x21 || c > 0x7e || c == '"' || c == ';' || c == '\\') {
            return false;
        }
    }
    return true;
}

Unexpected<ApiError> rule_error(const std::string& message) {
    return api_error(400, "Error parsing L7Rule: Invalid L7 Rule: " + message);
}

}  // namespace

std::string l4_protocol_of(const std::string& listener_protocol) {
    if (listener_protocol == "UDP" || listener_protocol == "SCTP") {
        return listener_protocol;
    }
    return "TCP";
}

bool pool_protocol_allowed(const std::string& listener, const std::string& pool) {
    static const std::map<std::string, std::set<std::string>> kMap = {
        {"TCP", {"HTTP", "HTTPS", "PROXY", "PROXYV2", "TCP"}},
        {"HTTP", {"HTTP", "PROXY", "PROXYV2"}},
        {"HTTPS", {"HTTPS", "PROXY", "PROXYV2", "TCP"}},
        {"TERMINATED_HTTPS", {"HTTP", "PROXY", "PROXYV2"}},
        {"UDP", {"UDP"}},
        {"SCTP", {"SCTP"}},
        {"PROMETHEUS", {}}};
    auto it = kMap.find(listener);
    return it != kMap.end() && it->second.count(pool) > 0;
}

ApiResult<void> check_pool_protocol(const std::string& listener, const std::string& pool) {
    if (!pool_protocol_allowed(listener, pool)) {
        return validation_failure("The pool protocol '" + pool +
                                  "' is invalid while the listener protocol is '" + listener +
                                  "'.");
    }
    return {};
}

ApiResult<void> check_listener(const json& l) {
    std::string protocol = text_of(l, "protocol");
    bool has_certs = is_set(l, "default_tls_container_ref") || is_set(l, "sni_container_refs");
    if ((protocol == "UDP" || protocol == "SCTP") &&
        (has_certs || is_set(l, "client_ca_tls_container_ref"))) {
        return validation_failure(protocol + " protocol listener does not support TLS.");
    }
    if (has_certs && protocol != "TERMINATED_HTTPS" && protocol != "PROMETHEUS") {
        return validation_failure("Certificate container references are not allowed on " +
                                  protocol + " protocol listeners.");
    }
    if (protocol == "TERMINATED_HTTPS" && !has_certs) {
        return validation_failure(
            "An SNI or default certificate container reference must be provided for "
            "TERMINATED_HTTPS protocol listeners.");
    }
    if (is_set(l, "client_ca_tls_container_ref") && !has_certs) {
        return validation_failure(
            "An SNI or default certificate container reference must be provided with a client "
            "CA container reference.");
    }
    if (text_of(l, "client_authentication") != "NONE" &&
        !text_of(l, "client_authentication").empty() && !is_set(l, "client_ca_tls_container_ref")) {
        return validation_failure("Client authentication setting " +
                                  text_of(l, "client_authentication") +
                                  " requires a client CA container reference.");
    }
    if (is_set(l, "client_crl_container_ref") && !is_set(l, "client_ca_tls_container_ref")) {
        return validation_failure(
            "A client authentication CA reference is required to specify a client "
            "authentication revocation list.");
    }
    if (is_set(l, "insert_headers")) {
        if (protocol != "HTTP" && protocol != "TERMINATED_HTTPS") {
            return api_error(400, "insert-headers is not a valid option for a " + protocol +
                                      " protocol listener.");
        }
        static const std::set<std::string> kHttp = {"X-Forwarded-For",   "X-Forwarded-Port",
                                                    "X-Forwarded-Proto", "X-Forwarded-IP",
                                                    "X-Client-IP",       "X-Real-IP"};
        static const std::set<std::string> kTls = {
            "X-SSL-Client-Verify",     "X-SSL-Client-Has-Cert", "X-SSL-Client-DN",
            "X-SSL-Client-CN",         "X-SSL-Issuer",          "X-SSL-Client-SHA1",
            "X-SSL-Client-Not-Before", "X-SSL-Client-Not-After"};
        for (const auto& [key, value] : l["insert_headers"].items()) {
            bool ok = kHttp.count(key) || (protocol == "TERMINATED_HTTPS" && kTls.count(key));
            if (!ok) {
                return api_error(400, key + " is not a valid option for insert_headers");
            }
        }
    }
    if (is_set(l, "hsts_max_age") && protocol != "TERMINATED_HTTPS") {
        return validation_failure(
            "The HSTS feature can only be used for listeners using the TERMINATED_HTTPS "
            "protocol.");
    }
    if (protocol == "PROMETHEUS" &&
        (is_set(l, "default_pool_id") || is_set(l, "default_pool") || is_set(l, "l7policies"))) {
        return api_error(400, "Protocol PROMETHEUS listeners cannot have child objects.");
    }
    if (l.contains("tls_versions") && l["tls_versions"].is_array() && l["tls_versions"].empty()) {
        return api_error(400,
                         "Invalid input for field/attribute tls_versions. Value: '[]'. "
                         "tls_versions must not be empty");
    }
    if (is_set(l, "tls_ciphers")) {
        static const std::regex kCiphers("^[A-Za-z0-9\\-+!:@=_.]+$");
        if (!std::regex_match(text_of(l, "tls_ciphers"), kCiphers)) {
            return api_error(400, text_of(l, "tls_ciphers") +
                                      " is not a valid option for "
                                      "tls_ciphers");
        }
    }
    return {};
}

ApiResult<json> normalize_session_persistence(const json& sp, const std::string& pool_protocol,
                                              const json& stored) {
    if (sp.is_null()) {
        return json(nullptr);
    }
    json out = {{"type", nullptr},
                {"cookie_name", nullptr},
                {"persistence_timeout", nullptr},
                {"persistence_granularity", nullptr}};
    for (const auto& [key, value] : sp.items()) {
        if (!out.contains(key)) {
            return api_error(400, "Unknown attribute for argument session_persistence: " + key);
        }
        out[key] = value;
    }
    if (out["type"].is_null() && stored.is_object() && stored.contains("type")) {
        out["type"] = stored["type"];
    }
    std::string type = out["type"].is_string() ? out["type"].get<std::string>() : "";
    if (type != "SOURCE_IP" && type != "HTTP_COOKIE" && type != "APP_COOKIE") {
        return api_error(400,
                         invalid_input("type", out["type"].is_null() ? "None" : out["type"].dump(),
                                       "Value should be one of: SOURCE_IP, HTTP_COOKIE, "
                                       "APP_COOKIE"));
    }
    const json& cookie = out["cookie_name"];
    if (!cookie.is_null()) {
        static const std::regex kCookie("^[^\\s,;\\\\]+$");
        if (!cookie.is_string() || cookie.get<std::string>().size() > 255 ||
            !std::regex_match(cookie.get<std::string>(), kCookie)) {
            return api_error(400, invalid_input("cookie_name", cookie.dump(),
                                                "Value should match the pattern ^[^\\s,;\\\\]+$"));
        }
        if (type != "APP_COOKIE") {
            return validation_failure(
                "Field \"cookie_name\" can only be specified with session persistence of type "
                "\"APP_COOKIE\".");
        }
    } else if (type == "APP_COOKIE") {
        return validation_failure(
            "Field \"cookie_name\" must be specified when using the "
            "\"APP_COOKIE\" session persistence type.");
    }
    bool datagram = pool_protocol == "UDP" || pool_protocol == "SCTP";
    if (datagram && type != "SOURCE_IP") {
        return validation_failure("Session persistence of type " + type +
                                  " is not supported for UDP/SCTP protocol pools.");
    }
    if (!datagram &&
        (!out["persistence_timeout"].is_null() || !out["persistence_granularity"].is_null())) {
        return validation_failure(
            "persistence_timeout and persistence_granularity is only for UDP and SCTP protocol "
            "pools.");
    }
    if (!out["persistence_timeout"].is_null() && !out["persistence_timeout"].is_number_integer()) {
        return api_error(400,
                         invalid_input("persistence_timeout", out["persistence_timeout"].dump(),
                                       "Wrong type. Expected '<class 'int'>'"));
    }
    return out;
}

ApiResult<void> check_pool(const json& pool) {
    if (is_set(pool, "crl_container_ref") && !is_set(pool, "ca_tls_container_ref")) {
        return validation_failure(
            "A CA reference is required to specify a certificate revocation list.");
    }
    if (pool.contains("tls_versions") && pool["tls_versions"].is_array() &&
        pool["tls_versions"].empty()) {
        return api_error(400,
                         "Invalid input for field/attribute tls_versions. Value: '[]'. "
                         "tls_versions must not be empty");
    }
    return {};
}

ApiResult<void> check_health_monitor(const json& hm, const std::string& pool_protocol) {
    std::string type = text_of(hm, "type");
    bool datagram_pool = pool_protocol == "UDP" || pool_protocol == "SCTP";
    if (!datagram_pool && (type == "UDP-CONNECT" || type == "SCTP")) {
        return validation_failure("The " + type +
                                  " type is only supported for pools of type UDP/SCTP.");
    }
    if (datagram_pool && type != "UDP-CONNECT" && type != "SCTP" && type != "TCP" &&
        type != "HTTP") {
        return validation_failure("The associated pool protocol is " + pool_protocol +
                                  ", so only a UDP-CONNECT/SCTP/TCP/HTTP health monitor is "
                                  "supported.");
    }
    if (type == "UDP-CONNECT" && hm.contains("delay") && hm["delay"].is_number_integer() &&
        hm["delay"].get<int64_t>() < 3) {
        return validation_failure(
            "The request delay value 1 should be larger than 3 for UDP-CONNECT health monitor "
            "type.");
    }
    bool http = type == "HTTP" || type == "HTTPS";
    if (!http) {
        for (const char* field : {"http_method", "url_path", "expected_codes"}) {
            if (is_set(hm, field)) {
                return api_error(400, std::string(field) +
                                          " is not a valid option for health monitors of type " +
                                          type);
            }
        }
    }
    if (is_set(hm, "expected_codes")) {
        static const std::regex kCodes("^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$");
        if (!std::regex_match(text_of(hm, "expected_codes"), kCodes)) {
            return api_error(400, invalid_input("expected_codes", text_of(hm, "expected_codes"),
                                                "Value should match the pattern "
                                                "^(\\d{3}(\\s*,\\s*\\d{3})*)$|^(\\d{3}-\\d{3})$"));
        }
    }
    if (is_set(hm, "domain_name")) {
        static const std::regex kSimpleDomain("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$");
        if (!std::regex_match(text_of(hm, "domain_name"), kSimpleDomain)) {
            return api_error(400, invalid_input("domain_name", text_of(hm, "domain_name"),
                                                "Value should be a valid hostname"));
        }
        if (!is_set(hm, "http_version")) {
            return validation_failure(
                "'http_version' must be specified when 'domain_name' is provided.");
        }
        if (hm["http_version"].get<double>() != 1.1) {
            return api_error(400,
                             "http_version 1.0 is not a valid option for health monitors HTTP 1.1 "
                             "domain name health check");
        }
    }
    return {};
}

void fill_health_monitor_defaults(json& hm) {
    std::string type = text_of(hm, "type");
    if (type == "HTTP" || type == "HTTPS") {
        if (!is_set(hm, "http_method")) {
            hm["http_method"] = "GET";
        }
        if (!is_set(hm, "url_path")) {
            hm["url_path"] = "/";
        }
        if (!is_set(hm, "expected_codes")) {
            hm["expected_codes"] = "200";
        }
    }
}

ApiResult<void> check_cidrs_match_vips(const json& allowed_cidrs,
                                       const std::vector<std::string>& vip_addresses) {
    if (!allowed_cidrs.is_array()) {
        return {};
    }
    for (const auto& cidr : allowed_cidrs) {
        int version = ip_version(cidr.is_string() ? cidr.get<std::string>() : "");
        bool matched = false;
        for (const auto& vip : vip_addresses) {
            matched = matched || ip_version(vip) == version;
        }
        if (!matched) {
            // The VIPs as Python prints a list of strings.
            std::string vips;
            for (const auto& vip : vip_addresses) {
                vips += (vips.empty() ? "'" : ", '") + vip + "'";
            }
            return validation_failure("CIDR " + cidr.get<std::string>() +
                                      " IP version incompatible with all VIPs [" + vips +
                                      "] IP version.");
        }
    }
    return {};
}

ApiResult<void> check_l7rule(const json& rule) {
    std::string type = text_of(rule, "type");
    std::string compare = text_of(rule, "compare_type");
    std::string key = text_of(rule, "key");
    std::string value = text_of(rule, "value");
    bool has_key = is_set(rule, "key");
    for (const std::string& s : {key, value}) {
        if (s.find_first_of("\r\n") != std::string::npos) {
            return rule_error("key and value must not contain CR or LF");
        }
    }
    if (compare == "REGEX" && !regex_compiles(value)) {
        return api_error(400, "Error parsing L7Rule: Unable to parse regular expression: " + value);
    }
    if (type == "HOST_NAME" || type == "PATH") {
        if (compare != "REGEX" && !header_value_ok(value)) {
            return api_error(400, "Error parsing L7Rule: Invalid characters in comparison value");
        }
    } else if (type == "FILE_TYPE") {
        if (compare != "REGEX" && compare != "EQUAL_TO") {
            return rule_error("invalid comparison type for rule type");
        }
        if (compare == "EQUAL_TO" && !header_value_ok(value)) {
            return api_error(400, "Error parsing L7Rule: Invalid characters in comparison value");
        }
    } else if (type == "HEADER" || type == "COOKIE") {
        if (!has_key) {
            return rule_error("L7 rule type requires a key");
        }
        // RFC 7230 token characters. Octavia's pattern also lets a comma through, which would
        // split req.hdr(<key>) into two arguments, so it is refused here.
        if (!token_ok(key)) {
            return api_error(400, "Error parsing L7Rule: Invalid characters in key");
        }
        if (compare != "REGEX" &&
            !(type == "HEADER" ? header_value_ok(value) : cookie_value_ok(value))) {
            return api_error(400, std::string("Error parsing L7Rule: Invalid characters in ") +
                                      (type == "HEADER" ? "header value" : "cookie value"));
        }
    } else if (type == "SSL_CONN_HAS_CERT") {
        if (has_key) {
            return rule_error("L7rule type SSL_CONN_HAS_CERT does not use the \"key\" field.");
        }
        if (compare != "EQUAL_TO") {
            return rule_error("invalid comparison type for rule type");
        }
        std::string lower = value;
        for (char& c : lower) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (lower != "true") {
            return rule_error("L7rule value " + value + " is not a boolean True string.");
        }
    } else if (type == "SSL_VERIFY_RESULT") {
        if (has_key) {
            return rule_error("L7rule type SSL_VERIFY_RESULT does not use the \"key\" field.");
        }
        if (compare != "EQUAL_TO") {
            return rule_error("invalid comparison type for rule type");
        }
        if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) {
            return rule_error("L7rule type SSL_VERIFY_RESULT needs a int value, which is >= 0");
        }
    } else if (type == "SSL_DN_FIELD") {
        static const std::regex kField("^[a-zA-Z][A-Za-z0-9-]*$");
        if (!has_key) {
            return rule_error("L7rule type SSL_DN_FIELD needs to specify a key and a value.");
        }
        if (!std::regex_match(key, kField)) {
            return rule_error("Invalid L7rule distinguished name field.");
        }
    }
    return {};
}

}  // namespace octane::model
