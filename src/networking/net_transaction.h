#pragma once

// Storage plumbing shared by the networking stores (network_store.cc, port_store.cc,
// removals.cc): a database failure answered as Neutron's 500, and a write transaction that
// carries a Neutron-style NetError out of its body (rolling back).

#include <optional>

#include <spdlog/spdlog.h>

#include "db/database.h"
#include "networking/network_store.h"

namespace octane::networking {

inline Unexpected<NetError> db_failure(const Error& error) {
    spdlog::error("networking storage: {}", error.message);
    return net_error(500, "HTTPInternalServerError", "Request Failed: internal server error.");
}

template <typename Body>
NetResult<void> in_transaction(db::Database& db, Body body) {
    std::optional<NetError> failure;
    auto done = db.transaction([&]() -> Result<void> {
        NetResult<void> outcome = body();
        if (!outcome) {
            failure = outcome.error();
            return make_error("rolled back: " + outcome.error().message);
        }
        return {};
    });
    if (failure) {
        return Unexpected(*failure);
    }
    if (!done) {
        return db_failure(done.error());
    }
    return {};
}

// in_transaction for a body that answers a value (NetResult<T>): the value once committed.
template <typename T, typename Body>
NetResult<T> in_transaction_answering(db::Database& db, Body body) {
    std::optional<T> answer;
    auto done = in_transaction(db, [&]() -> NetResult<void> {
        NetResult<T> outcome = body();
        if (!outcome) {
            return Unexpected(outcome.error());
        }
        answer = std::move(*outcome);
        return {};
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return std::move(*answer);
}

}  // namespace octane::networking
