#pragma once

// Octavia's default policies (docs/octavia-api.md §5.3) in one place. Under noauth the context is
// admin and every rule passes; the Keystone issue fills roles and the same checks decide.

#include <optional>
#include <string>

#include "api/request_context.h"
#include "model/api_error.h"

namespace octane::api {

enum class Rule { kRead, kReadGlobal, kWrite, kAdmin, kReadQuota, kReadQuotaGlobal, kWriteQuota };

// target_project: the project owning the object (or the requested project for lists).
bool allowed(const RequestContext& ctx, Rule rule,
             const std::optional<std::string>& target_project);

model::ApiResult<void> authorize(const RequestContext& ctx, Rule rule,
                                 const std::optional<std::string>& target_project);

}  // namespace octane::api
