#include "model/rules.h"

namespace octane::model {
namespace {

using nlohmann::json;

bool present(const json& object, const char* key) {
    auto it = object.find(key);
    return it != object.end() && !it->is_null();
}

Unexpected<ApiError> invalid_args(const std::string& message) {
    return api_error(400, "Invalid L7 Policy arguments: " + message);
}

}  // namespace

// Octavia's sanitize_l7policy_api_args: a redirect field given on update switches the action;
// each action requires its argument and forces the others to null.
ApiResult<void> normalize_l7policy(json& policy, bool on_update, const json& update) {
    // The reference accepts several redirect arguments at once; the action decides which one
    // stays (the others are forced to null below). Newer Octavia answers 400 instead.
    if (on_update && !present(update, "action")) {
        if (present(update, "redirect_pool_id")) {
            policy["action"] = "REDIRECT_TO_POOL";
        } else if (present(update, "redirect_url")) {
            policy["action"] = "REDIRECT_TO_URL";
        } else if (present(update, "redirect_prefix")) {
            policy["action"] = "REDIRECT_PREFIX";
        }
    }
    std::string action = policy.value("action", "");
    if (action == "REJECT") {
        policy["redirect_url"] = nullptr;
        policy["redirect_pool_id"] = nullptr;
        policy["redirect_prefix"] = nullptr;
        policy["redirect_http_code"] = nullptr;
    } else if (action == "REDIRECT_TO_URL") {
        if (!present(policy, "redirect_url")) {
            return invalid_args("redirect_url must not be None");
        }
        policy["redirect_pool_id"] = nullptr;
        policy["redirect_prefix"] = nullptr;
    } else if (action == "REDIRECT_PREFIX") {
        if (!present(policy, "redirect_prefix")) {
            return invalid_args("redirect_prefix must not be None");
        }
        policy["redirect_pool_id"] = nullptr;
        policy["redirect_url"] = nullptr;
    } else if (action == "REDIRECT_TO_POOL") {
        if (!present(policy, "redirect_pool_id") && !present(policy, "redirect_pool")) {
            return invalid_args("redirect_pool_id or redirect_pool must not be None");
        }
        policy["redirect_url"] = nullptr;
        policy["redirect_prefix"] = nullptr;
        policy["redirect_http_code"] = nullptr;
    }
    if (action == "REDIRECT_TO_URL" || action == "REDIRECT_PREFIX") {
        if (!present(policy, "redirect_http_code")) {
            policy["redirect_http_code"] = 302;
        }
        int code = policy["redirect_http_code"].get<int>();
        if (code != 301 && code != 302 && code != 303 && code != 307 && code != 308) {
            return api_error(400, invalid_input("redirect_http_code", std::to_string(code),
                                                "Value should be one of: 301, 302, 303, 307, "
                                                "308"));
        }
    }
    return {};
}

}  // namespace octane::model
