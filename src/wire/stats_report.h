#pragma once

// haproxy `show stat` CSV -> heartbeat v3 (docs/amphora.md §2): FRONTEND rows give
// listener status and counters, BACKEND rows ("<pool_id>:<listener_id>") pool status, server rows
// member status (UP with weight 0 reported as DRAIN). Proxies whose name contains "prometheus" are
// left out (exporter traffic is not billed). Counters are sent as deltas against the absolute
// values of the previous message, kept by the caller in a ListenerCounters map (persisted by the
// agent so a restart does not double count); a counter that went backwards (engine restart) is
// sent whole. Pure: the agent does the socket I/O and the file I/O.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "wire/heartbeat.h"

namespace octane::wire {

using StatRow = std::map<std::string, std::string>;  // CSV column name -> value

// Parses the text `show stat` answers: a "# pxname,svname,..." header line, then one row per
// proxy/server. Fails when the header is missing.
Result<std::vector<StatRow>> parse_show_stat(std::string_view text);

// Absolute counters of one listener as last reported (bin, bout, stot, ereq).
struct ListenerCounters {
    int64_t bin = 0;
    int64_t bout = 0;
    int64_t stot = 0;
    int64_t ereq = 0;
};
using CounterState = std::map<std::string, ListenerCounters>;  // by listener id

// Builds one heartbeat from the rows of every load balancer on the amphora. Updates `counters`
// to the absolute values just reported.
Heartbeat heartbeat_from_stats(const std::vector<StatRow>& rows, const std::string& amphora_id,
                               int64_t seq, CounterState& counters);

nlohmann::json to_json(const CounterState& counters);
CounterState counters_from_json(const nlohmann::json& saved);  // unknown shapes -> empty state

}  // namespace octane::wire
