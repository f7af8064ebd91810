#pragma once

// Sizing of the connection limit against RLIMIT_NOFILE. A proxied connection costs two fds
// (client + server), so `maxconn` needs about 2*maxconn + reserve descriptors. We raise the soft
// limit as far as the hard limit allows; when even that is short, we run with the largest
// maxconn that fits and say so once (HAProxy 2.6 refuses to start instead).

#include <string>

namespace octane::proxy {

struct FdPlan {
    int maxconn = 0;      // effective global maxconn
    long nofile = 0;      // soft limit after raising
    std::string warning;  // non-empty when maxconn had to be lowered
};

// `requested` = global maxconn (0 = unset), `reserve` = fds needed besides connections.
FdPlan plan_fd_limits(int requested, int reserve);

// Pure part, for tests: the plan given a hard limit.
FdPlan compute_fd_plan(int requested, int reserve, long hard_limit);

}  // namespace octane::proxy
