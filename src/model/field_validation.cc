#include "model/field_validation.h"

#include <cctype>
#include <cstdint>
#include <optional>

#include "common/uuid.h"
#include "model/ip_address.h"
#include "model/url_check.h"

namespace octane::model {
namespace {

using nlohmann::json;

const char* python_type(const json& v) {
    switch (v.type()) {
        case json::value_t::string:
            return "<class 'str'>";
        case json::value_t::boolean:
            return "<class 'bool'>";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
            return "<class 'int'>";
        case json::value_t::number_float:
            return "<class 'float'>";
        case json::value_t::array:
            return "<class 'list'>";
        case json::value_t::object:
            return "<class 'dict'>";
        default:
            return "<class 'NoneType'>";
    }
}

Unexpected<ApiError> wrong_type(const FieldSpec& f, const json& v, const char* expected) {
    return api_error(400, invalid_input(f.name, render_value(v),
                                        std::string("Wrong type. Expected '") + expected +
                                            "', got '" + python_type(v) + "'"));
}

Unexpected<ApiError> bad(const FieldSpec& f, const json& v, const std::string& reason) {
    return api_error(400, invalid_input(f.name, render_value(v), reason));
}

std::string join(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        out += (out.empty() ? "" : ", ") + v;
    }
    return out;
}

ApiResult<json> check_string(const FieldSpec& f, const json& v) {
    if (!v.is_string()) {
        return bad(f, v, "Value should be string");
    }
    if (v.get_ref<const std::string&>().size() > f.max_length) {
        return bad(
            f, v,
            "Value should have a maximum character requirement of " + std::to_string(f.max_length));
    }
    return v;
}

// WSME turns a string Python's int() accepts ("80", " -1 ") into the integer before the range
// checks; octavia-tempest-plugin sends protocol_port as "80". Anything else stays a wrong type.
std::optional<int64_t> decimal_string(const std::string& text, bool& overflow) {
    size_t begin = 0, end = text.size();
    while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) {
        ++begin;
    }
    while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) {
        --end;
    }
    bool negative = begin < end && text[begin] == '-';
    if (begin < end && (text[begin] == '-' || text[begin] == '+')) {
        ++begin;
    }
    if (begin == end) {
        return std::nullopt;
    }
    int64_t n = 0;
    for (size_t i = begin; i < end; ++i) {
        if (!std::isdigit(static_cast<unsigned char>(text[i]))) {
            return std::nullopt;
        }
        if (n > (INT64_MAX - 9) / 10) {
            overflow = true;  // beyond any field's range; only the sign matters now
        } else {
            n = n * 10 + (text[i] - '0');
        }
    }
    return negative ? -n : n;
}

ApiResult<json> check_int(const FieldSpec& f, const json& v) {
    int64_t n = 0;
    bool overflow = false;
    if (v.is_number_integer()) {
        n = v.get<int64_t>();
    } else if (auto parsed =
                   v.is_string() ? decimal_string(v.get<std::string>(), overflow) : std::nullopt) {
        n = overflow ? (*parsed < 0 ? INT64_MIN : INT64_MAX) : *parsed;
    } else {
        return wrong_type(f, v, "<class 'int'>");
    }
    if (n < f.min) {
        return bad(f, v, "Value should be greater or equal to " + std::to_string(f.min));
    }
    if (n > f.max) {
        return bad(f, v, "Value should be lower or equal to " + std::to_string(f.max));
    }
    return json(n);
}

ApiResult<json> check_bool(const FieldSpec& f, const json& v) {
    if (v.is_boolean()) {
        return v;
    }
    if (v.is_number_integer()) {
        return json(v.get<int64_t>() != 0);
    }
    if (v.is_string()) {
        std::string s = v.get<std::string>();
        for (char& c : s) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        if (s == "true" || s == "1" || s == "yes" || s == "on" || s == "y" || s == "t") {
            return json(true);
        }
        if (s == "false" || s == "0" || s == "no" || s == "off" || s == "n" || s == "f") {
            return json(false);
        }
    }
    return bad(f, v, "Value not an unambiguous boolean: " + render_value(v));
}

ApiResult<json> check_enum(const FieldSpec& f, const json& v) {
    if (v.is_string()) {
        for (const auto& allowed : f.values) {
            if (allowed == v.get_ref<const std::string&>()) {
                return v;
            }
        }
    }
    return bad(f, v, "Value should be one of: " + join(f.values));
}

ApiResult<json> check_list(const FieldSpec& f, const json& v) {
    if (!v.is_array()) {
        return wrong_type(f, v, "<class 'list'>");
    }
    json out = json::array();
    FieldSpec item = f;
    switch (f.type) {
        case FieldType::kStringList:
            item.type = FieldType::kString;
            break;
        case FieldType::kEnumList:
            item.type = FieldType::kEnum;
            break;
        case FieldType::kUuidList:
            item.type = FieldType::kUuid;
            break;
        default:
            item.type = FieldType::kString;
    }
    for (const auto& element : v) {
        if (f.type == FieldType::kCidrList) {
            if (!element.is_string()) {
                return bad(f, v, "Value should be IPv4 or IPv6 CIDR format");
            }
            auto cidr = normalize_cidr(element.get<std::string>());
            if (!cidr) {
                return bad(f, element, "Value should be IPv4 or IPv6 CIDR format");
            }
            out.push_back(*cidr);
            continue;
        }
        auto checked = validate_value(item, element);
        if (!checked) {
            // WSME reports the whole list as the value.
            if (item.type == FieldType::kString && !element.is_string()) {
                return bad(f, v, "Value should be string");
            }
            return Unexpected(checked.error());
        }
        out.push_back(*checked);
    }
    return out;
}

ApiResult<json> check_url(const FieldSpec& f, const json& v) {
    if (!v.is_string()) {
        return wrong_type(f, v, "<class 'str'>");
    }
    const std::string& s = v.get_ref<const std::string&>();
    if (!is_valid_url(s) || s.size() > f.max_length) {
        return bad(f, v, "Value must be a valid URL string");
    }
    return v;
}

ApiResult<json> check_url_path(const FieldSpec& f, const json& v) {
    if (!v.is_string()) {
        return wrong_type(f, v, "<class 'str'>");
    }
    const std::string& s = v.get_ref<const std::string&>();
    if (!is_valid_url_path(s) || s.size() > f.max_length) {
        return bad(f, v, "Value must be a valid URL Path string");
    }
    return v;
}

}  // namespace

std::string invalid_input(const std::string& field, const std::string& value,
                          const std::string& reason) {
    return "Invalid input for field/attribute " + field + ". Value: '" + value + "'. " + reason;
}

std::string render_value(const json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (value.is_null()) {
        return "None";
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "True" : "False";
    }
    return value.dump();
}

ApiResult<json> validate_value(const FieldSpec& f, const json& v) {
    switch (f.type) {
        case FieldType::kString:
            return check_string(f, v);
        case FieldType::kUuid:
            if (!v.is_string() || !is_uuid(v.get<std::string>())) {
                return bad(f, v, "Value should be UUID format");
            }
            return v;
        case FieldType::kBool:
            return check_bool(f, v);
        case FieldType::kInt:
            return check_int(f, v);
        case FieldType::kEnum:
            return check_enum(f, v);
        case FieldType::kIp:
            // Kept as given, as Octavia does (it stores the text it validated); CIDRs below are
            // the ones Octavia rewrites.
            if (!v.is_string() || !is_ip_literal(v.get<std::string>())) {
                return bad(f, v, "Value should be IPv4 or IPv6 format");
            }
            return v;
        case FieldType::kCidrList:
        case FieldType::kStringList:
        case FieldType::kEnumList:
        case FieldType::kUuidList:
            return check_list(f, v);
        case FieldType::kStringMap:
            if (!v.is_object()) {
                return wrong_type(f, v, "<class 'dict'>");
            }
            for (const auto& [key, item] : v.items()) {
                if (!item.is_string() || item.get<std::string>().size() > f.max_length) {
                    return bad(f, v, "Value should be a dictionary of strings");
                }
            }
            return v;
        case FieldType::kHttpVersion:
            if (!v.is_number() || (v.get<double>() != 1.0 && v.get<double>() != 1.1)) {
                return bad(f, v, "Value should be one of: 1.0, 1.1");
            }
            return json(v.get<double>());
        case FieldType::kUrl:
            return check_url(f, v);
        case FieldType::kUrlPath:
            return check_url_path(f, v);
        case FieldType::kObject:
            if (!v.is_object()) {
                return wrong_type(f, v, "<class 'dict'>");
            }
            return v;
        case FieldType::kList:
            if (!v.is_array()) {
                return wrong_type(f, v, "<class 'list'>");
            }
            return v;
        case FieldType::kJsonText: {
            auto checked = check_string(f, v);
            if (!checked) {
                return checked;
            }
            json parsed = json::parse(v.get<std::string>(), nullptr, false);
            if (parsed.is_discarded() || !parsed.is_object()) {
                return api_error(400,
                                 v.get<std::string>() + " is not a valid option for " + f.name);
            }
            return v;
        }
    }
    return v;
}

ApiResult<json> unwrap(const json& body, const std::string& wrapper, const std::string& argument) {
    if (!body.is_object()) {
        return api_error(400, invalid_input(wrapper, render_value(body),
                                            "Wrong type. Expected '<class 'dict'>', got '" +
                                                std::string(python_type(body)) + "'"));
    }
    for (const auto& [key, value] : body.items()) {
        if (key != wrapper) {
            return api_error(400, "Unknown attribute for argument " + argument + ": " + key);
        }
    }
    auto it = body.find(wrapper);
    if (it == body.end() || it->is_null()) {
        return api_error(400, invalid_input(wrapper, "None", "Mandatory field missing."));
    }
    if (!it->is_object()) {
        return api_error(400, invalid_input(wrapper, render_value(*it),
                                            "Wrong type. Expected '<class 'dict'>', got '" +
                                                std::string(python_type(*it)) + "'"));
    }
    return *it;
}

ApiResult<json> validate_fields(const ResourceSpec& spec, const json& body, Mode mode,
                                const std::string& argument) {
    for (const auto& [key, value] : body.items()) {
        const FieldSpec* f = spec.field(key);
        bool allowed = f && (mode == Mode::kPost ? f->post != OnPost::kForbidden
                                                 : f->put != OnPut::kForbidden);
        if (!allowed) {
            return api_error(400, "Unknown attribute for argument " + argument + ": " + key);
        }
    }
    json out = json::object();
    for (const auto& f : spec.fields) {
        auto it = body.find(f.name);
        bool present = it != body.end();
        if (mode == Mode::kPost && f.post == OnPost::kForbidden) {
            continue;
        }
        if (mode == Mode::kPut && (f.put == OnPut::kForbidden || !present)) {
            continue;
        }
        if (!present || it->is_null()) {
            if (mode == Mode::kPost && f.post == OnPost::kMandatory) {
                return api_error(400, invalid_input(f.name, "None", "Mandatory field missing."));
            }
            if (mode == Mode::kPut && f.put_null == PutNull::kReject) {
                return api_error(400, invalid_input(f.name, "None", "Mandatory field missing."));
            }
            if (f.stored) {
                bool use_default = mode == Mode::kPost || f.put_null == PutNull::kDefault;
                out[f.name] = use_default ? f.default_value : json(nullptr);
            }
            continue;
        }
        auto checked = validate_value(f, *it);
        if (!checked) {
            return Unexpected(checked.error());
        }
        out[f.name] = std::move(*checked);
    }
    return out;
}

}  // namespace octane::model
