#include "wire/heartbeat.h"

namespace octane::wire {
namespace {

using json = nlohmann::json;

constexpr int kSchema = static_cast<int>(HeartbeatError::kBadSchema);

bool read_int(const json& obj, const char* key, int64_t& out) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
        return true;  // absent counters count as zero
    }
    if (!it->is_number_integer()) {
        return false;
    }
    out = it->get<int64_t>();
    return true;
}

bool read_listener(const json& j, ListenerReport& out) {
    if (!j.is_object()) {
        return false;
    }
    auto status = j.find("status");
    if (status != j.end() && !status->is_string()) {
        return false;
    }
    out.status = status == j.end() ? "" : status->get<std::string>();
    auto stats = j.find("stats");
    if (stats == j.end() || stats->is_null()) {
        return true;
    }
    ListenerStats& s = out.stats;
    return stats->is_object() && read_int(*stats, "tx", s.tx) && read_int(*stats, "rx", s.rx) &&
           read_int(*stats, "conns", s.conns) && read_int(*stats, "totconns", s.totconns) &&
           read_int(*stats, "ereq", s.ereq);
}

bool read_pool(const json& j, PoolReport& out) {
    if (!j.is_object()) {
        return false;
    }
    auto status = j.find("status");
    if (status != j.end() && !status->is_string()) {
        return false;
    }
    out.status = status == j.end() ? "" : status->get<std::string>();
    auto members = j.find("members");
    if (members == j.end() || members->is_null()) {
        return true;
    }
    if (!members->is_object()) {
        return false;
    }
    for (const auto& [id, state] : members->items()) {
        if (!state.is_string()) {
            return false;
        }
        out.members[id] = state.get<std::string>();
    }
    return true;
}

Result<void> check_header(const json& p) {
    if (!p.is_object()) {
        return make_error("heartbeat payload is not a JSON object");
    }
    auto id = p.find("id");
    if (id == p.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
        return make_error("heartbeat has no amphora \"id\"");
    }
    for (const char* key : {"listeners", "pools"}) {
        auto it = p.find(key);
        if (it != p.end() && !it->is_null() && !it->is_object()) {
            return make_error(std::string("heartbeat \"") + key + "\" is not an object");
        }
    }
    return {};
}

}  // namespace

const char* to_string(HeartbeatError error) {
    switch (error) {
        case HeartbeatError::kOversized:
            return "oversized";
        case HeartbeatError::kTruncated:
            return "truncated";
        case HeartbeatError::kBadHmac:
            return "bad_hmac";
        case HeartbeatError::kBadZlib:
            return "bad_zlib";
        case HeartbeatError::kBadJson:
            return "bad_json";
        case HeartbeatError::kBadVersion:
            return "bad_version";
        case HeartbeatError::kBadSchema:
            return "bad_schema";
    }
    return "unknown";
}

std::string_view pool_id_of(std::string_view pool_key) {
    size_t colon = pool_key.rfind(':');
    return colon == std::string_view::npos ? pool_key : pool_key.substr(0, colon);
}

nlohmann::json to_json(const Heartbeat& hb) {
    json listeners = json::object();
    for (const auto& [id, l] : hb.listeners) {
        listeners[id] = {{"status", l.status},
                         {"stats",
                          {{"tx", l.stats.tx},
                           {"rx", l.stats.rx},
                           {"conns", l.stats.conns},
                           {"totconns", l.stats.totconns},
                           {"ereq", l.stats.ereq}}}};
    }
    json pools = json::object();
    for (const auto& [key, p] : hb.pools) {
        pools[key] = {{"status", p.status}, {"members", p.members}};
    }
    return {{"id", hb.amphora_id},
            {"seq", hb.seq},
            {"ver", hb.ver},
            {"listeners", listeners},
            {"pools", pools}};
}

Result<Heartbeat> heartbeat_from_json(const nlohmann::json& p) {
    if (auto header = check_header(p); !header) {
        return make_error(header.error().message, kSchema);
    }
    Heartbeat hb;
    hb.amphora_id = p["id"].get<std::string>();
    auto ver = p.find("ver");
    if (ver == p.end() || !ver->is_number_integer()) {
        return make_error("heartbeat has no integer \"ver\"",
                          static_cast<int>(HeartbeatError::kBadVersion));
    }
    hb.ver = ver->get<int>();
    if (hb.ver < 2 || hb.ver > kHeartbeatVersion) {
        return make_error("unsupported heartbeat version " + std::to_string(hb.ver),
                          static_cast<int>(HeartbeatError::kBadVersion));
    }
    if (!read_int(p, "seq", hb.seq)) {
        return make_error("heartbeat \"seq\" is not an integer", kSchema);
    }
    if (auto it = p.find("listeners"); it != p.end() && it->is_object()) {
        for (const auto& [id, l] : it->items()) {
            if (!read_listener(l, hb.listeners[id])) {
                return make_error("heartbeat listener " + id + " is malformed", kSchema);
            }
        }
    }
    if (auto it = p.find("pools"); it != p.end() && it->is_object()) {
        for (const auto& [key, pool] : it->items()) {
            if (!read_pool(pool, hb.pools[key])) {
                return make_error("heartbeat pool " + key + " is malformed", kSchema);
            }
        }
    }
    return hb;
}

}  // namespace octane::wire
