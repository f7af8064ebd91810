#pragma once

// Drains disabled compute hosts (`octane host-agent disable`): each health-check pass asks for the
// failover of at most one amphora on a disabled host (evacuation_plan.h), the way the stale check
// does (failover_check.h): the load balancer goes PENDING_UPDATE and the worker builds the
// replacement on an enabled host, deletes the old amphora and sets the load balancer ACTIVE.

#include <optional>

#include "common/clock.h"
#include "controller/health/failover_check.h"
#include "db/database.h"

namespace octane::controller::health {

class HostEvacuation {
  public:
    // peers_may_share_host: `[nova]` anti-affinity off or soft (evacuation_plan.h).
    HostEvacuation(db::Database& db, FailoverCheck& failover, bool peers_may_share_host)
        : db_(db), failover_(failover), peers_may_share_host_(peers_may_share_host) {}

    // One pass: the failover it requested, if any.
    Result<std::optional<FailoverRequest>> run_once();

  private:
    db::Database& db_;
    FailoverCheck& failover_;
    bool peers_may_share_host_;
};

}  // namespace octane::controller::health
