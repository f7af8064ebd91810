#pragma once

// What Barbican decides before touching storage, free of I/O: the validation of new secrets and
// containers (its validators' words), content types, base64, and the default ("new defaults")
// policy for secrets, containers and their ACLs.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace octane::keymanager {

// Barbican's max_allowed_secret_in_bytes and max_allowed_request_size_in_bytes.
constexpr size_t kMaxSecretBytes = 10000;
constexpr size_t kMaxRequestBytes = 15000;

// A Barbican fault: {"code": status, "title": reason phrase, "description": description}.
struct KmError {
    int status = 400;
    std::string description;
};

template <typename T>
using KmResult = Result<T, KmError>;

inline Unexpected<KmError> km_error(int status, std::string description) {
    return Unexpected<KmError>(KmError{status, std::move(description)});
}

nlohmann::json error_body(const KmError& error);

// "<operation> issue seen - <reason>." as Barbican's handle_exceptions words client errors.
KmError issue(const std::string& operation, int status, const std::string& reason);
// InvalidObject's client message for schema "<schema>".
KmError invalid_object(const std::string& operation, const std::string& schema,
                       const std::string& reason, const std::string& property);

std::string base64_encode(const std::string& bytes);
std::optional<std::string> base64_decode(const std::string& text);

// text/plain (with or without charset=utf-8), application/octet-stream, application/pkcs8; other
// types come back unchanged (and are then unsupported).
std::string normalize_content_type(const std::string& mime);
bool supported_content_type(const std::string& mime);

struct NewSecret {
    std::string name;
    std::string secret_type = "opaque";
    std::optional<std::string> algorithm;
    std::optional<int64_t> bit_length;
    std::optional<std::string> mode;
    std::optional<std::string> expiration;
    std::optional<std::string> payload;  // decoded bytes
    std::string content_type;            // normalized; "" without a payload
};

// POST /v1/secrets body.
KmResult<NewSecret> parse_new_secret(const nlohmann::json& body);

struct SecretRefName {
    std::string name;
    std::string secret_id;
};

struct NewContainer {
    std::string name;
    std::string type;
    std::vector<SecretRefName> secret_refs;
};

// POST /v1/containers body; secret_base is "<public>/key-manager/v1/secrets/" (refs must start
// with it, as Barbican refuses refs to another host).
KmResult<NewContainer> parse_new_container(const nlohmann::json& body,
                                           const std::string& secret_base);

// One operation's ACL ("read" is the only one Barbican has).
struct Acl {
    bool exists = false;
    bool project_access = true;
    std::vector<std::string> users;
};

// PUT/PATCH /v1/{secrets,containers}/{id}/acl body; patch keeps what the body leaves out.
// operation names the call in faults ("SecretACL(s) Update").
KmResult<Acl> parse_acl(const nlohmann::json& body, const Acl& current, bool patch,
                        const std::string& operation);

struct Subject {
    std::string user_id;
    std::string project_id;
    std::set<std::string> roles;  // as given; Keystone's implied roles are added by policy
};

struct Target {
    std::string project_id;
    std::string creator_id;
    Acl read;
};

enum class Action {
    kCreate,   // secrets:post, containers:post
    kList,     // secrets:get, containers:get
    kGet,      // secret:get, container:get (metadata)
    kDecrypt,  // secret:decrypt (payload)
    kPut,      // secret:put
    kDelete,   // secret:delete, container:delete
    kAcl,      // {secret,container}_acls:get / put_patch / delete
};

// Barbican's default policy (enforce_new_defaults); kGet and kDelete of a secret also allow the
// global admin role, as Barbican's rules do (containers do not: is_container).
bool allowed(Action action, const Subject& subject, const Target* target, bool is_container);

}  // namespace octane::keymanager
