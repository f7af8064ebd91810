#pragma once

// Type-level validation of request bodies against a ResourceSpec (WSME's job in Octavia):
// unknown attributes, mandatory fields, types, ranges, enums, formats, and defaults on POST.

#include <nlohmann/json.hpp>

#include "model/api_error.h"
#include "model/field_spec.h"

namespace octane::model {

enum class Mode { kPost, kPut };

// Validates one object (the content under the wrapper key). argument is the WSME argument path
// used in "Unknown attribute for argument <argument>: <key>". On POST the result holds every
// stored attribute (defaults filled, unset optional ones null) plus the nested kObject/kList
// values as given; on PUT only the attributes present in the body, with PutNull applied.
ApiResult<nlohmann::json> validate_fields(const ResourceSpec& spec, const nlohmann::json& body,
                                          Mode mode, const std::string& argument);

// Validates a single value of a field; returns the normalised value.
ApiResult<nlohmann::json> validate_value(const FieldSpec& field, const nlohmann::json& value);

// Unwraps {"<wrapper>": {...}}: checks the body is an object with only that key.
ApiResult<nlohmann::json> unwrap(const nlohmann::json& body, const std::string& wrapper,
                                 const std::string& argument);

// WSME's rendering of a value inside "Value: '<v>'".
std::string render_value(const nlohmann::json& value);

}  // namespace octane::model
