#include "keymanager/barbican_rules.h"

#include <algorithm>

#include "http/http_message.h"

namespace octane::keymanager {
namespace {

using nlohmann::json;

constexpr const char* kSecretSchema = "Secret";
constexpr const char* kContainerSchema = "Container";
constexpr const char* kSupported =
    "['text/plain', 'text/plain;charset=utf-8', 'text/plain; charset=utf-8', "
    "'application/octet-stream', 'application/pkcs8']";

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string trim(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) {
        return "";
    }
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

std::optional<std::string> optional_string(const json& body, const char* key) {
    if (body.contains(key) && body[key].is_string()) {
        return body[key].get<std::string>();
    }
    return std::nullopt;
}

int sextet(char c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+' || c == '-') {
        return 62;
    }
    if (c == '/' || c == '_') {
        return 63;
    }
    return -1;
}

}  // namespace

json error_body(const KmError& error) {
    return {{"code", error.status},
            {"title", http::reason_phrase(error.status)},
            {"description", error.description}};
}

KmError issue(const std::string& operation, int status, const std::string& reason) {
    return KmError{status, operation + " issue seen - " + reason + "."};
}

KmError invalid_object(const std::string& operation, const std::string& schema,
                       const std::string& reason, const std::string& property) {
    return issue(operation, 400,
                 "Provided object does not match schema '" + schema + "': " + reason +
                     ". Invalid property: '" + property + "'");
}

std::string base64_encode(const std::string& bytes) {
    static const char* const kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                           static_cast<unsigned char>(bytes[i + 2]);
        out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63],
                kAlphabet[v & 63]};
    }
    if (i + 1 == bytes.size()) {
        const uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
        out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], '=', '='};
    } else if (i + 2 == bytes.size()) {
        const uint32_t v = (static_cast<unsigned char>(bytes[i]) << 16) |
                           (static_cast<unsigned char>(bytes[i + 1]) << 8);
        out += {kAlphabet[v >> 18], kAlphabet[(v >> 12) & 63], kAlphabet[(v >> 6) & 63], '='};
    }
    return out;
}

std::optional<std::string> base64_decode(const std::string& text) {
    std::string out;
    uint32_t acc = 0;
    int bits = 0;
    size_t padding = 0;
    for (char c : text) {
        if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
            continue;
        }
        if (c == '=') {
            ++padding;
            continue;
        }
        const int v = sextet(c);
        if (v < 0 || padding > 0) {
            return std::nullopt;
        }
        acc = (acc << 6) | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    if (padding > 2 || bits >= 6) {
        return std::nullopt;
    }
    return out;
}

std::string normalize_content_type(const std::string& mime) {
    const auto semi = mime.find(';');
    const std::string type = lower(trim(mime.substr(0, semi)));
    if (semi != std::string::npos) {
        const std::string param = lower(trim(mime.substr(semi + 1)));
        const auto eq = param.find('=');
        if (eq == std::string::npos || trim(param.substr(eq + 1)) != "utf-8") {
            return mime;
        }
    }
    if (type == "text/plain" || type == "application/octet-stream" || type == "application/pkcs8") {
        return type;
    }
    return mime;
}

bool supported_content_type(const std::string& mime) {
    const std::string n = normalize_content_type(mime);
    return n == "text/plain" || n == "application/octet-stream" || n == "application/pkcs8";
}

KmResult<NewSecret> parse_new_secret(const json& body) {
    const std::string op = "Secret creation";
    if (!body.is_object()) {
        return km_error(400, "Malformed JSON");
    }
    NewSecret secret;
    if (auto name = optional_string(body, "name")) {
        secret.name = trim(*name);
        if (secret.name.size() > 255) {
            return Unexpected(
                invalid_object(op, kSecretSchema, "'" + secret.name + "' is too long", "name"));
        }
    }
    if (auto type = optional_string(body, "secret_type")) {
        static const std::set<std::string> kTypes = {"symmetric",  "public", "private",
                                                     "passphrase", "opaque", "certificate"};
        if (!kTypes.count(*type)) {
            return Unexpected(invalid_object(
                op, kSecretSchema,
                "'" + *type +
                    "' is not one of ['symmetric', 'public', 'private', 'passphrase', "
                    "'opaque', 'certificate']",
                "secret_type"));
        }
        secret.secret_type = *type;
    }
    secret.algorithm = optional_string(body, "algorithm");
    secret.mode = optional_string(body, "mode");
    if (body.contains("bit_length") && body["bit_length"].is_number_integer()) {
        secret.bit_length = body["bit_length"].get<int64_t>();
    }
    if (auto expiration = optional_string(body, "expiration");
        expiration && !trim(*expiration).empty()) {
        secret.expiration = trim(*expiration);
    }
    const auto content_type = optional_string(body, "payload_content_type");
    const auto encoding = optional_string(body, "payload_content_encoding");
    if (body.contains("payload") && !body["payload"].is_null()) {
        if (!content_type) {
            return Unexpected(invalid_object(op, kSecretSchema,
                                             "If 'payload' is supplied, 'payload_content_type' "
                                             "must also be supplied.",
                                             "payload_content_type"));
        }
        if (!supported_content_type(*content_type)) {
            return Unexpected(invalid_object(
                op, kSecretSchema, std::string("payload_content_type is not one of ") + kSupported,
                "payload_content_type"));
        }
        secret.content_type = normalize_content_type(*content_type);
        const bool text = secret.content_type == "text/plain";
        if (text ? encoding.has_value()
                 : (encoding && *encoding != "base64" && *encoding != "binary")) {
            return Unexpected(
                invalid_object(op, kSecretSchema,
                               std::string("payload_content_encoding is not one of ") +
                                   (text ? "None" : "['base64', 'binary']"),
                               "payload_content_encoding"));
        }
        if (!body["payload"].is_string()) {
            return Unexpected(
                invalid_object(op, kSecretSchema, "payload is not a string", "payload"));
        }
        const std::string raw = body["payload"].get<std::string>();
        if (raw.size() > kMaxSecretBytes) {
            return Unexpected(issue(op, 413, "Provided information too large to process"));
        }
        const std::string payload = trim(raw);
        if (payload.empty()) {
            return Unexpected(invalid_object(
                op, kSecretSchema, "If 'payload' specified, must be non empty", "payload"));
        }
        if (encoding && *encoding == "base64") {
            auto decoded = base64_decode(payload);
            if (!decoded) {
                return Unexpected(invalid_object(
                    op, kSecretSchema, "Invalid payload for payload_content_encoding", "payload"));
            }
            secret.payload = std::move(*decoded);
        } else {
            secret.payload = payload;
        }
    } else if (content_type) {
        return Unexpected(invalid_object(op, kSecretSchema,
                                         "payload must be provided when payload_content_type is "
                                         "specified",
                                         "payload"));
    }
    return secret;
}

KmResult<NewContainer> parse_new_container(const json& body, const std::string& secret_base) {
    const std::string op = "Container creation";
    if (!body.is_object()) {
        return km_error(400, "Malformed JSON");
    }
    NewContainer container;
    const auto type = optional_string(body, "type");
    if (!type) {
        return Unexpected(
            invalid_object(op, kContainerSchema, "'type' is a required property", "type"));
    }
    if (*type != "generic" && *type != "rsa" && *type != "certificate") {
        return Unexpected(invalid_object(
            op, kContainerSchema, "'" + *type + "' is not one of ['generic', 'rsa', 'certificate']",
            "type"));
    }
    container.type = *type;
    container.name = optional_string(body, "name").value_or("");
    std::set<std::string> names, ids;
    for (const auto& ref : body.value("secret_refs", json::array())) {
        if (!ref.is_object() || !ref.contains("secret_ref") || !ref["secret_ref"].is_string()) {
            return Unexpected(invalid_object(op, kContainerSchema,
                                             "'secret_ref' is a required property", "secret_refs"));
        }
        SecretRefName item;
        item.name = optional_string(ref, "name").value_or("");
        const std::string href = ref["secret_ref"].get<std::string>();
        if (href.rfind(secret_base, 0) != 0) {
            return Unexpected(issue(op, 400, "Provided field value is not supported"));
        }
        std::string id = href.substr(secret_base.size());
        while (!id.empty() && id.back() == '/') {
            id.pop_back();
        }
        item.secret_id = lower(id);
        names.insert(item.name);
        ids.insert(item.secret_id);
        container.secret_refs.push_back(std::move(item));
    }
    const size_t count = container.secret_refs.size();
    if (names.size() != count) {
        return Unexpected(invalid_object(
            op, kContainerSchema, "Duplicate reference names are not allowed", "secret_refs"));
    }
    if (ids.size() != count) {
        return Unexpected(invalid_object(op, kContainerSchema,
                                         "Duplicate secret ids are not allowed", "secret_refs"));
    }
    if (container.type == "certificate" && count > 0) {
        for (const auto& name : names) {
            if (name != "certificate" && name != "private_key" &&
                name != "private_key_passphrase" && name != "intermediates") {
                return Unexpected(invalid_object(
                    op, kContainerSchema,
                    "only 'private_key', 'certificate' , 'private_key_passphrase',  or "
                    "'intermediates' reference names are allowed for Certificate type",
                    "secret_refs"));
            }
        }
        if (!names.count("certificate")) {
            return Unexpected(invalid_object(
                op, kContainerSchema,
                "The minimum required reference name is 'certificate' for Certificate type",
                "secret_refs"));
        }
    }
    if (container.type == "rsa" && count > 0) {
        for (const auto& name : names) {
            if (name != "public_key" && name != "private_key" && name != "private_key_passphrase") {
                return Unexpected(invalid_object(
                    op, kContainerSchema,
                    "only 'private_key', 'public_key' and 'private_key_passphrase' reference "
                    "names are allowed for RSA type",
                    "secret_refs"));
            }
        }
        if (!names.count("public_key") || !names.count("private_key")) {
            return Unexpected(invalid_object(op, kContainerSchema,
                                             "The minimum required reference names are "
                                             "'public_key' and'private_key' for RSA type",
                                             "secret_refs"));
        }
    }
    return container;
}

KmResult<Acl> parse_acl(const json& body, const Acl& current, bool patch, const std::string& op) {
    if (!body.is_object()) {
        return km_error(400, "Malformed JSON");
    }
    for (const auto& [key, value] : body.items()) {
        if (key != "read") {
            return Unexpected(invalid_object(
                op, "ACL", "Additional properties are not allowed ('" + key + "' was unexpected)",
                key));
        }
    }
    Acl acl = patch ? current : Acl{};
    acl.exists = true;
    const json read = body.value("read", json::object());
    if (!read.is_object()) {
        return Unexpected(invalid_object(op, "ACL", "read is not of type 'object'", "read"));
    }
    if (read.contains("project-access")) {
        if (!read["project-access"].is_boolean()) {
            return Unexpected(invalid_object(op, "ACL", "project-access is not of type 'boolean'",
                                             "project-access"));
        }
        acl.project_access = read["project-access"].get<bool>();
    }
    if (read.contains("users")) {
        if (!read["users"].is_array()) {
            return Unexpected(invalid_object(op, "ACL", "users is not of type 'array'", "users"));
        }
        acl.users.clear();
        std::set<std::string> seen;
        for (const auto& user : read["users"]) {
            if (!user.is_string()) {
                return Unexpected(
                    invalid_object(op, "ACL", "users is not of type 'string'", "users"));
            }
            if (seen.insert(user.get<std::string>()).second) {
                acl.users.push_back(user.get<std::string>());
            }
        }
    }
    return acl;
}

bool allowed(Action action, const Subject& subject, const Target* target, bool is_container) {
    // Keystone's default implied roles: admin -> member -> reader.
    const bool admin = subject.roles.count("admin") > 0;
    const bool member = admin || subject.roles.count("member") > 0;
    if (action == Action::kCreate || action == Action::kList) {
        return member;
    }
    if (target == nullptr) {
        return false;
    }
    const bool same_project = subject.project_id == target->project_id;
    const bool owner = !target->creator_id.empty() && subject.user_id == target->creator_id;
    const bool not_private = !target->read.exists || target->read.project_access;
    const bool acl_read = std::find(target->read.users.begin(), target->read.users.end(),
                                    subject.user_id) != target->read.users.end();
    const bool project_rule =
        same_project && (admin || (member && owner) || (member && not_private));
    switch (action) {
        case Action::kGet:
            return project_rule || acl_read || (admin && !is_container);
        case Action::kDecrypt:
            return project_rule || acl_read;
        case Action::kDelete:
            return project_rule || (admin && !is_container);
        case Action::kPut:
        case Action::kAcl:
            return project_rule;
        default:
            return false;
    }
}

}  // namespace octane::keymanager
