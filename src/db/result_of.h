#pragma once

// Small adapters the repositories share: a statement's row count to Result<void>, whether a query
// found a row, its first row as an optional, the JSON text in the first column of the first row.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace octane::db {

inline Result<void> done(const Result<int64_t>& changed) {
    if (!changed) {
        return Unexpected(changed.error());
    }
    return {};
}

template <typename T>
Result<std::optional<T>> first_of(Result<std::vector<T>> found) {
    if (!found) {
        return Unexpected(found.error());
    }
    if (found->empty()) {
        return std::optional<T>();
    }
    return std::optional<T>(std::move(found->front()));
}

// Whether the query found anything (existence checks).
inline Result<bool> any_row(const Result<Rows>& rows) {
    if (!rows) {
        return Unexpected(rows.error());
    }
    return !rows->empty();
}

// The first column of every row, as text (ids, names).
inline Result<std::vector<std::string>> first_column_texts(const Result<Rows>& rows) {
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<std::string> out;
    out.reserve(rows->size());
    for (const auto& row : *rows) {
        out.push_back(row.text(0));
    }
    return out;
}

// Unparsable text reads as a discarded value, as json::parse(text, nullptr, false) gives it.
inline Result<std::optional<nlohmann::json>> first_json(const Result<Rows>& rows) {
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<nlohmann::json>();
    }
    return std::optional<nlohmann::json>(
        nlohmann::json::parse(rows->front().text(0), nullptr, false));
}

}  // namespace octane::db
