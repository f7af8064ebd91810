#include "wire/stats_report.h"

#include <charconv>

#include "common/strings.h"

namespace octane::wire {
namespace {

int64_t number(const StatRow& row, const char* column) {
    auto it = row.find(column);
    int64_t value = 0;
    if (it != row.end()) {
        std::from_chars(it->second.data(), it->second.data() + it->second.size(), value);
    }
    return value;
}

std::string text(const StatRow& row, const char* column) {
    auto it = row.find(column);
    return it == row.end() ? "" : it->second;
}

int64_t delta(int64_t current, int64_t& last) {
    int64_t d = current - last;
    last = current;
    return d < 0 ? current : d;
}

void add_listener(const StatRow& row, Heartbeat& hb, CounterState& counters) {
    const std::string id = text(row, "pxname");
    ListenerCounters& last = counters[id];
    ListenerReport& report = hb.listeners[id];
    report.status = text(row, "status");
    report.stats.tx = delta(number(row, "bout"), last.bout);
    report.stats.rx = delta(number(row, "bin"), last.bin);
    report.stats.conns = number(row, "scur");
    report.stats.totconns = delta(number(row, "stot"), last.stot);
    report.stats.ereq = delta(number(row, "ereq"), last.ereq);
}

}  // namespace

Result<std::vector<StatRow>> parse_show_stat(std::string_view text_in) {
    std::vector<std::string> lines = split(text_in, '\n');
    if (lines.empty() || !starts_with(lines[0], "# ")) {
        return make_error("show stat output has no '# pxname,...' header");
    }
    std::vector<std::string> columns = split(std::string_view(lines[0]).substr(2), ',');
    std::vector<StatRow> rows;
    for (size_t i = 1; i < lines.size(); ++i) {
        if (trim(lines[i]).empty()) {
            continue;
        }
        std::vector<std::string> values = split(lines[i], ',');
        StatRow row;
        for (size_t c = 0; c < columns.size() && c < values.size(); ++c) {
            if (!columns[c].empty()) {
                row[columns[c]] = values[c];
            }
        }
        rows.push_back(std::move(row));
    }
    return rows;
}

Heartbeat heartbeat_from_stats(const std::vector<StatRow>& rows, const std::string& amphora_id,
                               int64_t seq, CounterState& counters) {
    Heartbeat hb;
    hb.amphora_id = amphora_id;
    hb.seq = seq;
    for (const StatRow& row : rows) {
        const std::string proxy = text(row, "pxname");
        const std::string server = text(row, "svname");
        if (proxy.find("prometheus") != std::string::npos) {
            continue;
        }
        if (server == "FRONTEND") {
            add_listener(row, hb, counters);
        } else if (server == "BACKEND") {
            hb.pools[proxy].status = text(row, "status");
        } else {
            std::string status = text(row, "status");
            if (status == "UP" && text(row, "weight") == "0") {
                status = "DRAIN";  // haproxy does not report DRAIN itself
            }
            hb.pools[proxy].members[server] = status;
        }
    }
    return hb;
}

nlohmann::json to_json(const CounterState& counters) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [id, c] : counters) {
        out[id] = {{"bin", c.bin}, {"bout", c.bout}, {"stot", c.stot}, {"ereq", c.ereq}};
    }
    return out;
}

CounterState counters_from_json(const nlohmann::json& saved) {
    CounterState out;
    if (!saved.is_object()) {
        return out;
    }
    for (const auto& [id, c] : saved.items()) {
        if (!c.is_object()) {
            continue;
        }
        ListenerCounters& lc = out[id];
        for (auto [key, field] : {std::pair{"bin", &lc.bin}, std::pair{"bout", &lc.bout},
                                  std::pair{"stot", &lc.stot}, std::pair{"ereq", &lc.ereq}}) {
            auto it = c.find(key);
            if (it != c.end() && it->is_number_integer()) {
                *field = it->get<int64_t>();
            }
        }
    }
    return out;
}

}  // namespace octane::wire
