#include "db/sqlite_compat.h"

namespace octane::db {
namespace {

// '$.a.b' -> '{a,b}' as a text[] path; '$' alone -> the whole document.
constexpr const char* kJsonPath =
    "CREATE OR REPLACE FUNCTION octane_json_path(path text) RETURNS text[] LANGUAGE sql"
    " IMMUTABLE STRICT AS $$ SELECT CASE WHEN path = '$' THEN ARRAY[]::text[]"
    " ELSE string_to_array(substr(path, 3), '.') END $$";

constexpr const char* kJsonExtract =
    "CREATE OR REPLACE FUNCTION json_extract(doc text, path text) RETURNS text LANGUAGE sql"
    " IMMUTABLE STRICT AS $$ SELECT CASE json_typeof(v) WHEN 'boolean' THEN"
    " CASE WHEN v::text = 'true' THEN '1' ELSE '0' END ELSE v #>> ARRAY[]::text[] END"
    " FROM (SELECT doc::json #> octane_json_path(path) AS v) AS picked $$";

constexpr const char* kJsonEach =
    "CREATE OR REPLACE FUNCTION json_each(doc text, path text) RETURNS TABLE (value text)"
    " LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT json_array_elements_text(CASE"
    " WHEN json_typeof(v) = 'array' THEN v ELSE '[]'::json END)"
    " FROM (SELECT doc::json #> octane_json_path(path) AS v) AS picked $$";

}  // namespace

Result<void> install_sqlite_compat(Database& db) {
    if (db.dialect() != Dialect::kPostgres) {
        return {};
    }
    for (const char* statement : {kJsonPath, kJsonExtract, kJsonEach}) {
        if (auto done = db.exec(statement, {}); !done) {
            return Unexpected(done.error());
        }
    }
    return {};
}

}  // namespace octane::db
