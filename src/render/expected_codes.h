#pragma once

// HM expected_codes ("200", "200, 202", "200-204") -> the status codes haproxy should accept.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace octane::render {

// Splits on `,` (spaces after the comma allowed) and expands `lo-hi` ranges. Returns the codes
// deduplicated in ascending order (Octavia joins a Python set, so its order is arbitrary; any
// order means the same to haproxy). Fails on anything that is not a 3-digit code or range.
Result<std::vector<std::string>> expand_expected_codes(std::string_view codes);

}  // namespace octane::render
