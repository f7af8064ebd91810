#pragma once

// Octavia's policy-in-code (docs/octavia-api.md §5.3) in one place, in both of its modes, chosen by
// the context's PolicyConfig. Under noauth the context is admin and every rule passes.

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
