#pragma once

#include <functional>

#include "db/database.h"

namespace octane::db {

// The part of a transaction both engines share, after BEGIN succeeded: runs body one level deeper
// (nested calls join), then COMMIT on success, ROLLBACK on an error result or an exception (which
// is rethrown). run_plain runs one SQL statement without parameters.
Result<void> finish_transaction(int& depth, const std::function<Result<void>()>& body,
                                const std::function<Result<void>(const char*)>& run_plain);

}  // namespace octane::db
