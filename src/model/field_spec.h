#pragma once

// Declarative description of an API resource's attributes (the WSME types of Octavia): what may be
// sent on POST and PUT, the type rules, the defaults, and what an explicit null on PUT means.
// One table per resource keeps the 13 resources uniform; semantic rules live in *_rules.cc.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace octane::model {

enum class FieldType {
    kString,  // max_length
    kUuid,
    kBool,
    kInt,         // min..max
    kEnum,        // values
    kIp,          // IPv4 or IPv6 literal
    kCidrList,    // list of CIDRs (normalised)
    kStringList,  // list of str(max_length)
    kEnumList,    // list of values
    kUuidList,
    kStringMap,    // object of str -> str(max_length)
    kHttpVersion,  // 1.0 or 1.1 as a JSON number
    kUrl,          // http(s) URL with a host
    kUrlPath,      // starts with '/', no whitespace
    kObject,       // nested object validated by the resource's rules (session_persistence...)
    kList,         // nested list validated by the resource's rules (graph children)
    kJsonText,     // a string that must parse as a JSON object (flavor_data)
};

enum class OnPost { kMandatory, kOptional, kForbidden };
enum class OnPut { kOptional, kForbidden };
enum class PutNull { kClear, kDefault, kReject };

struct FieldSpec {
    std::string name;
    FieldType type;
    OnPost post;
    OnPut put;
    nlohmann::json default_value = nullptr;  // applied on POST when omitted
    PutNull put_null = PutNull::kClear;
    int64_t min = 0;
    int64_t max = 0;
    size_t max_length = 255;
    std::vector<std::string> values;  // enum members
    bool stored = true;               // false: accepted but not an attribute (graph children)
};

struct ResourceSpec {
    std::string wrapper;        // JSON key of one object: "loadbalancer"
    std::string plural;         // JSON key of a list: "loadbalancers"
    std::string links_key;      // "loadbalancers_links" (two resources spell it irregularly)
    std::string post_argument;  // WSME argument name in "Unknown attribute for argument X.Y"
    std::string put_argument;
    std::vector<FieldSpec> fields;

    const FieldSpec* field(const std::string& name) const {
        for (const auto& f : fields) {
            if (f.name == name) {
                return &f;
            }
        }
        return nullptr;
    }
};

}  // namespace octane::model
