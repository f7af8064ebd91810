// `show stat` of the UDP engine: HAProxy's CSV layout (its first columns, same names and order,
// then the datagram counters), so the amphora agent builds the heartbeat from it exactly as
// from HAProxy's (docs/amphora.md §2, §5): a FRONTEND row named after the listener (flows as
// sessions, bytes, datagrams dropped for want of a server as request errors), a BACKEND row
// "<pool id>:<listener id>" and one row per member named after it (Octavia's LVS query names
// them from the same comments of the configuration).

#include <cstdio>

#include <unistd.h>

#include "proxy/udp/udp_engine.h"

namespace octane::proxy::udp {
namespace {

constexpr const char* kHeader =
    "# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,"
    "wredis,status,weight,act,bck,chkfail,check_status,dgram_in,dgram_out,dropped,\n";

std::string row(const std::string& px, const std::string& sv, int64_t scur, const Counters& c,
                const std::string& status, const std::string& weight, int64_t chkfail,
                const std::string& check_status) {
    std::string out = px + "," + sv + ",,," + std::to_string(scur) + ",,," +
                      std::to_string(c.flows_total) + "," + std::to_string(c.bytes_in) + "," +
                      std::to_string(c.bytes_out) + ",,," + std::to_string(c.dropped) + ",,,,," +
                      status + "," + weight + ",,," + std::to_string(chkfail) + "," + check_status +
                      "," + std::to_string(c.datagrams_in) + "," + std::to_string(c.datagrams_out) +
                      "," + std::to_string(c.dropped) + ",\n";
    return out;
}

void add(Counters& into, const Counters& c) {
    into.flows_total += c.flows_total;
    into.datagrams_in += c.datagrams_in;
    into.datagrams_out += c.datagrams_out;
    into.bytes_in += c.bytes_in;
    into.bytes_out += c.bytes_out;
    into.dropped += c.dropped;
}

}  // namespace

std::string UdpEngine::show_stat() const {
    std::string out = kHeader;
    const std::string& listener = config_.listener_id;
    // An enabled listener is reported even with nothing to serve yet (no pool): the health
    // manager counts the enabled listeners of each heartbeat, and one missing means stale.
    if (listener.empty() || !config_.listener_enabled) {
        return out;
    }
    Counters front;
    int64_t flows = 0;
    for (const auto& svc : services_) {
        add(front, svc->counters);
        flows += svc->current_flows;
    }
    out += row(listener, "FRONTEND", flows, front, stopping_ ? "STOP" : "OPEN", "", 0, "");
    if (services_.empty()) {
        return out;
    }
    const std::string& pool = services_[0]->resolved.vs.pool_id;
    if (pool.empty() || !services_[0]->resolved.vs.pool_enabled) {
        return out;
    }
    std::string px = pool + ":" + listener;
    bool any_up = false;
    size_t members = 0;
    for (const auto& svc : services_) {
        const auto& servers = svc->resolved.vs.real_servers;
        for (size_t i = 0; i < servers.size(); ++i) {
            const auto& m = svc->members[i];
            bool up = svc->scheduler.is_up(static_cast<int>(i));
            any_up = any_up || up;
            ++members;
            std::string status = m.probe ? (up ? "UP" : "DOWN") : "no check";
            std::string check = m.probe ? m.probe->last_reason() : "";
            for (char& ch : check) {
                ch = ch == ',' ? ';' : ch;
            }
            std::string name = servers[i].member_id.empty()
                                   ? servers[i].address + ":" + std::to_string(servers[i].port)
                                   : servers[i].member_id;
            out += row(px, name, svc->scheduler.flows(static_cast<int>(i)), m.counters, status,
                       std::to_string(servers[i].weight), m.probe ? m.probe->failures_total() : 0,
                       check);
        }
    }
    Counters back;
    for (const auto& svc : services_) {
        for (const auto& m : svc->members) {
            add(back, m.counters);
        }
    }
    // A pool without members is not failing (Octavia reports it UP as well).
    out += row(px, "BACKEND", flows, back, any_up || members == 0 ? "UP" : "DOWN", "", 0, "");
    return out;
}

std::string UdpEngine::show_info() const {
    return "Name: octane-proxy\nMode: lvs\nPid: " + std::to_string(getpid()) +
           "\nCurrFlows: " + std::to_string(flows_.size()) +
           "\nStopping: " + (stopping_ ? "1" : "0") + "\n";
}

}  // namespace octane::proxy::udp
