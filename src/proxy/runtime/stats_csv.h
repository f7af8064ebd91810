#pragma once

// `show stat` and `show info` text, in HAProxy 2.6's format: the same CSV header (every column,
// in order) so tools written against HAProxy (Octavia's amphora agent) read ours unchanged.
// Columns we do not track are left empty, as HAProxy does for non-applicable fields.

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/runtime/state.h"

namespace octane::proxy {

struct ProcessInfo {
    int pid = 0;
    int nbthread = 1;
    int ulimit_n = 0;
    int maxconn = 0;
    bool stopping = false;
    int listeners = 0;
    int64_t dropped_logs = 0;
};

// One `show stat` line: every column of the header, "" where it does not apply.
class StatRow {
  public:
    StatRow();
    StatRow& set(std::string_view column, std::string value);
    StatRow& set(std::string_view column, int64_t value) {
        return set(column, std::to_string(value));
    }
    StatRow& set(std::string_view column, const std::atomic<int64_t>& value) {
        return set(column, value.load());
    }
    const std::string& get(std::string_view column) const;
    void append_to(std::string& out) const;

  private:
    std::vector<std::string> fields_;
};

// The rows of `show stat`, in its order: per proxy, its frontend, then its servers and backend.
std::vector<StatRow> stat_rows(const Snapshot& snap, const ProcessInfo& info);
std::string render_show_stat(const Snapshot& snap, const ProcessInfo& info);
std::string render_show_info(const Snapshot& snap, const ProcessInfo& info);
// The text of the server status column ("UP", "DOWN 1/2", "no check", "MAINT").
std::string server_status_text(const ServerState& s);

}  // namespace octane::proxy
