#pragma once

// The pure halves of the PostgreSQL seam: callers write SQLite's `?` placeholders and read
// SQLite-shaped values, so the SQL text and the result types are translated here, free of libpq.

#include <optional>
#include <string>
#include <string_view>

#include "db/database.h"

namespace octane::db {

// Rewrites each `?` outside string literals, quoted identifiers and comments into `$1`, `$2`, …
std::string to_numbered_placeholders(std::string_view sql);

// PostgreSQL type OIDs of the result columns this project reads (pg_type.h, stable across
// releases); every other type arrives as text, as SQLite hands back TEXT.
namespace pg_oid {
inline constexpr unsigned kBool = 16;
inline constexpr unsigned kInt8 = 20;
inline constexpr unsigned kInt2 = 21;
inline constexpr unsigned kInt4 = 23;
inline constexpr unsigned kOid = 26;
inline constexpr unsigned kFloat4 = 700;
inline constexpr unsigned kFloat8 = 701;
inline constexpr unsigned kNumeric = 1700;
}  // namespace pg_oid

// Maps one text-format result cell to the Value SQLite would have produced: integers (and
// booleans, as 0/1) to int64, floating point to double, NUMERIC (SUM over BIGINT) to int64 when
// integral, everything else to text.
Value from_pg_text(unsigned type_oid, std::string_view text);

// A parameter in text format (type left for the server to infer from the statement, as SQLite's
// dynamic typing accepts any of them anywhere); nullopt for SQL NULL.
std::optional<std::string> to_pg_text(const Value& value);

}  // namespace octane::db
