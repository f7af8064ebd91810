#pragma once

// Splits one haproxy.cfg line into words with HAProxy's quoting rules: blanks separate words,
// '#' starts a comment, backslash escapes (`\ `, `\#`, `\\`, `\"`, `\'`, `\r`, `\n`, `\t`,
// `\xHH`), double quotes keep blanks and still honour escapes, single quotes are literal.
// A line is tokenized on its own: HAProxy has no line continuation.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace octane::proxy::config {

// Returns the words of `line` (possibly empty for blank/comment lines), or an error naming the
// problem (unterminated quote, bad escape) without a location: the caller adds file:line.
Result<std::vector<std::string>> tokenize_line(std::string_view line);

}  // namespace octane::proxy::config
