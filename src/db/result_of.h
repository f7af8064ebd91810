#pragma once

// Small adapters the repositories share: a statement's row count to Result<void>, and the first
// row of a query to an optional.

#include <optional>
#include <vector>

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

}  // namespace octane::db
