#pragma once

// An expected failure of an API call: the HTTP status plus Octavia's faultstring. Rendered as
// {"faultcode": "Client"|"Server", "faultstring": ..., "debuginfo": null} at the API edge.

#include <string>

#include "common/result.h"

namespace octane::model {

struct ApiError {
    int status = 400;
    std::string message;
};

template <typename T>
using ApiResult = Result<T, ApiError>;

inline Unexpected<ApiError> api_error(int status, std::string message) {
    return Unexpected<ApiError>(ApiError{status, std::move(message)});
}

// WSME's type-failure wording: "Invalid input for field/attribute <f>. Value: '<v>'. <reason>"
std::string invalid_input(const std::string& field, const std::string& value,
                          const std::string& reason);

inline Unexpected<ApiError> validation_failure(const std::string& detail) {
    return api_error(400, "Validation failure: " + detail);
}

// Octavia's ProviderUnsupportedOptionError, as its amphora provider words it.
inline Unexpected<ApiError> unsupported_option(const std::string& what) {
    return api_error(501, "Provider 'amphora' does not support a requested option: " + what);
}

inline Unexpected<ApiError> not_found(std::string_view resource, const std::string& id) {
    return api_error(404, std::string(resource) + " " + id + " not found.");
}

}  // namespace octane::model
