#include "proxy/runtime/fd_limits.h"

#include <sys/resource.h>

namespace octane::proxy {

FdPlan compute_fd_plan(int requested, int reserve, long hard_limit) {
    FdPlan plan;
    long fit = (hard_limit - reserve) / 2;
    if (fit < 1) {
        fit = 1;
    }
    if (requested <= 0) {
        plan.maxconn = static_cast<int>(fit > 100000 ? 100000 : fit);
    } else if (requested > fit) {
        plan.maxconn = static_cast<int>(fit);
        plan.warning = "maxconn " + std::to_string(requested) + " needs " +
                       std::to_string(2L * requested + reserve) +
                       " file descriptors but RLIMIT_NOFILE allows " + std::to_string(hard_limit) +
                       "; running with maxconn " + std::to_string(fit);
    } else {
        plan.maxconn = requested;
    }
    long want = 2L * plan.maxconn + reserve;
    plan.nofile = want > hard_limit ? hard_limit : want;
    return plan;
}

FdPlan plan_fd_limits(int requested, int reserve) {
    rlimit rl{};
    getrlimit(RLIMIT_NOFILE, &rl);
    long hard = rl.rlim_max == RLIM_INFINITY ? 1L << 20 : static_cast<long>(rl.rlim_max);
    FdPlan plan = compute_fd_plan(requested, reserve, hard);
    if (static_cast<long>(rl.rlim_cur) < plan.nofile) {
        rl.rlim_cur = static_cast<rlim_t>(plan.nofile);
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    getrlimit(RLIMIT_NOFILE, &rl);
    plan.nofile = static_cast<long>(rl.rlim_cur);
    return plan;
}

}  // namespace octane::proxy
