#include "db/transaction_scope.h"

namespace octane::db {

Result<void> finish_transaction(int& depth, const std::function<Result<void>()>& body,
                                const std::function<Result<void>(const char*)>& run_plain) {
    ++depth;
    Result<void> outcome;
    try {
        outcome = body();
    } catch (...) {
        --depth;
        (void)run_plain("ROLLBACK");
        throw;
    }
    --depth;
    if (!outcome) {
        (void)run_plain("ROLLBACK");
        return outcome;
    }
    auto committed = run_plain("COMMIT");
    if (!committed) {
        (void)run_plain("ROLLBACK");
    }
    return committed;
}

}  // namespace octane::db
