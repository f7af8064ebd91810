#pragma once

// The UDP side of the engine (docs/amphora.md §5): one socket per VIP of the LVS configuration,
// and per flow (a client address and port on a VIP) one socket connected to the real server the
// scheduler chose, so the server's answers come back on that socket and go out through the VIP
// socket to the right client, as IPVS's NAT does. A flow ends after `flow_timeout` without
// datagrams in either direction (IPVS's UDP timeout, 300 s) or when its server goes down (IPVS
// with expire_nodest_conn, which Octavia's amphora sets): the client's next datagram is
// scheduled again. An SCTP virtual server listens with a one-to-one SCTP socket instead and
// relays each association to its server (sctp_relay.h), scheduled and counted as a flow.
// Single-threaded, on one EventLoop.

#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <sys/socket.h>

#include "common/result.h"
#include "proxy/io/address.h"
#include "proxy/loop/event_loop.h"
#include "proxy/udp/health_probe.h"
#include "proxy/udp/lvs_config.h"
#include "proxy/udp/scheduler.h"
#include "proxy/udp/sctp_relay.h"

namespace octane::proxy::udp {

struct Counters {
    int64_t flows_total = 0;
    int64_t datagrams_in = 0;  // client -> server
    int64_t datagrams_out = 0;
    int64_t bytes_in = 0;
    int64_t bytes_out = 0;
    int64_t dropped = 0;  // no eligible server, or a send that failed
};

struct EngineSettings {
    int64_t flow_timeout_ms = 300'000;
    // A flow holds a socket: at this many flows the least recently active one makes room (IPVS
    // keeps its entries in kernel memory; we are bound by descriptors).
    size_t max_flows = 100'000;
};

// A validated configuration with resolved addresses.
struct ResolvedService {
    VirtualServer vs;
    std::vector<Endpoint> vips;
    std::vector<Endpoint> servers;
    std::vector<Endpoint> check_targets;
};

// Checks what the parser cannot (addresses, ports, one protocol) and resolves the addresses.
Result<std::vector<ResolvedService>> resolve(const LvsConfig& cfg, const std::string& file);

class UdpEngine;

class Flow final : public IoHandler, public Deferred {
  public:
    Flow(UdpEngine& engine, size_t service, size_t vip, int server, const Endpoint& client,
         std::string key)
        : engine_(engine),
          service_(service),
          vip_(vip),
          server_(server),
          client_(client),
          key_(std::move(key)) {}
    void on_io(uint32_t events, unsigned tag) override;

  private:
    friend class UdpEngine;
    UdpEngine& engine_;
    size_t service_;
    size_t vip_;
    int server_;
    Endpoint client_;
    std::string key_;
    int fd_ = -1;
    int vip_fd_ = -1;  // the VIP socket its answers leave through
    int64_t last_active_ms_ = 0;
    std::list<Flow*>::iterator lru_;  // its place in UdpEngine::lru_
};

class UdpEngine final : public TimerHandler, public SctpRelayOwner {
  public:
    UdpEngine(EventLoop& loop, LvsConfig config, std::vector<ResolvedService> services,
              EngineSettings settings);
    ~UdpEngine();
    UdpEngine(const UdpEngine&) = delete;
    UdpEngine& operator=(const UdpEngine&) = delete;

    // Takes over the VIP sockets of a predecessor (key "udp <address>") or binds them.
    Result<void> bind(std::map<std::string, std::vector<int>>& inherited);
    // VIP sockets as (key, fd), to hand over on a reload.
    std::vector<std::pair<std::string, int>> vip_sockets() const;
    void start();
    // Soft stop: stop reading the VIPs (the successor reads them); flows keep answering until
    // they are idle for `grace_ms`. Returns at once; finished() tells when nothing is left.
    void soft_stop(int64_t grace_ms);
    bool finished() const { return stopping_ && flows_.empty() && relays_.empty(); }

    std::string show_stat() const;
    // The flow table for a successor (`show flows`): one line per flow,
    // "<vip address:port> <client address:port> <server address:port>".
    std::string show_flows() const;
    // Re-creates a predecessor's flows (its show_flows()) whose VIP and server this configuration
    // still has and whose server is up, so a reload keeps clients on their servers as IPVS
    // keeps its connection table. Returns how many were adopted.
    size_t adopt_flows(const std::string& table);
    std::string show_info() const;

    void on_timer(Timer& timer) override;
    void on_relay_bytes(SctpRelay& relay, bool to_server, size_t bytes) override;
    void on_relay_closed(SctpRelay& relay) override;

  private:
    friend class Flow;
    friend class VipSocket;
    struct Member {
        Counters counters;
        std::unique_ptr<HealthProbe> probe;
    };
    struct Service {
        ResolvedService resolved;
        Scheduler scheduler;
        std::vector<Member> members;
        Counters counters;
        int64_t current_flows = 0;
    };
    class VipSocket;

    void on_vip_readable(size_t service, size_t vip, int fd);
    // Sends `count` datagrams of one client to its flow's server (opening the flow).
    void forward(size_t service, size_t vip, const Endpoint& client, mmsghdr* msgs, int count);
    void on_flow_readable(Flow& flow);
    // SCTP: accepts the associations waiting on a VIP and relays each to its server.
    void on_sctp_acceptable(size_t service, int fd);
    // `server` < 0: the scheduler picks.
    Flow* open_flow(size_t service, size_t vip, const Endpoint& client, std::string key,
                    int server = -1);
    void close_flow(Flow* flow);
    void touch(Flow& flow);
    void server_state(size_t service, int server, bool up, const std::string& reason);

    EventLoop& loop_;
    LvsConfig config_;
    EngineSettings settings_;
    std::vector<std::unique_ptr<Service>> services_;
    std::vector<std::unique_ptr<VipSocket>> vips_;
    std::unordered_map<std::string, Flow*> flows_;
    std::list<Flow*> lru_;  // flows, least recently active first
    std::unordered_map<SctpRelay*, std::unique_ptr<SctpRelay>> relays_;
    Timer sweep_{this};
    bool stopping_ = false;
    int64_t stop_grace_ms_ = 0;
    std::vector<char> buffer_;  // recvmmsg batch
};

}  // namespace octane::proxy::udp
