#include "db/failover_request_repository.h"

#include "db/result_of.h"

namespace octane::db {

Result<std::optional<FailoverRequestRow>> FailoverRequestRepository::get(const std::string& lb_id) {
    auto rows =
        db_.query("SELECT amphora_id FROM failover_requests WHERE load_balancer_id = ?", {lb_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    if (rows->empty()) {
        return std::optional<FailoverRequestRow>();
    }
    return std::optional<FailoverRequestRow>(FailoverRequestRow{rows->front().optional_text(0)});
}

Result<void> FailoverRequestRepository::request_load_balancer(const std::string& lb_id) {
    return done(
        db_.exec("INSERT INTO failover_requests (load_balancer_id) VALUES (?)"
                 " ON CONFLICT (load_balancer_id) DO UPDATE SET amphora_id = NULL",
                 {lb_id}));
}

Result<void> FailoverRequestRepository::request_amphora(const std::string& lb_id,
                                                        const std::string& amphora_id) {
    return done(
        db_.exec("INSERT INTO failover_requests (load_balancer_id, amphora_id) VALUES (?, ?)"
                 " ON CONFLICT (load_balancer_id) DO UPDATE SET amphora_id = excluded.amphora_id",
                 {lb_id, amphora_id}));
}

Result<void> FailoverRequestRepository::clear(const std::string& lb_id) {
    return done(db_.exec("DELETE FROM failover_requests WHERE load_balancer_id = ?", {lb_id}));
}

}  // namespace octane::db
