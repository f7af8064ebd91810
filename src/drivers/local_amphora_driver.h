#pragma once

// The `local` amphora driver: an amphora is an `octane agent` process on this host, with its own
// management port (127.0.0.1, or its address on lb-mgmt-net inside its namespace when the network
// driver places amphorae) and a server certificate from the controller's CA. The controller
// renders the load balancer's haproxy.cfg and drives the agent over its REST API with mutual TLS,
// exactly as Octavia drives an amphora VM; only the "compute" part (boot a VM) becomes "start a
// process". An agent is never restarted by the driver: a dead one is replaced by failover, and
// the driver sees it die (a pidfd per agent, exit_watcher.h) so failover need not wait for the
// heartbeat timeout. For ACTIVE_STANDBY it also renders each amphora's keepalived.conf
// (render/keepalived_config.h) and sends it with the /vrrp calls, only when it changed.
//
// With a network that places amphorae (linuxbridge) the "compute" part is a simulated host
// (simulated_hosts.h): the agent boots with a disk private to its mount namespace and a config
// drive, and after boot this driver reaches it only over lb-mgmt-net (docs/amphora.md §6). With
// the local network driver the agent shares the controller's filesystem (<state>/amphorae/<id>):
// its port and pid files are read from there, as it has no fixed address of its own.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "drivers/amphora_driver.h"
#include "drivers/amphora_networking.h"
#include "drivers/tls_upload.h"

namespace octane::drivers {

struct LocalAmphoraOptions {
    // amphorae live in <state_dir>/amphorae/<amphora id>, or on simulated hosts in
    // <state_dir>/compute/<host>/ (simulated_hosts.h)
    std::string state_dir;
    std::string octane_binary;  // runs `<octane_binary> agent ...`
    std::string engine_binary;  // octane-proxy (or haproxy) inside each amphora
    std::string heartbeat_key;
    std::vector<std::string> controllers;  // health manager ip:port
    double heartbeat_interval_s = 10.0;
    // With a network that places amphorae (linuxbridge): each amphora's agent runs in its own
    // namespace on <lb_network_ip>:9443 and its engine in the amphora-haproxy namespace. Without
    // one, agents listen on 127.0.0.1 (any port) and engines share the host's namespace.
    AmphoraNetworking* networking = nullptr;
    // Certificates and secrets of listeners and pools with TLS refs, shipped to the agent before
    // each configuration. Empty: no TLS files are sent.
    TlsSource tls_source;
};

class LocalAmphoraDriver final : public AmphoraDriver {
  public:
    // Opens (or creates) the CA and the controller's client certificate under <state_dir>/pki.
    static Result<std::unique_ptr<LocalAmphoraDriver>> create(LocalAmphoraOptions options);
    ~LocalAmphoraDriver() override;

    Result<AmphoraInfo> create_amphora(const std::string& amphora_id,
                                       const nlohmann::json& load_balancer,
                                       const AmphoraRequest& request) override;
    Result<void> apply(const AmphoraInfo& amphora, const nlohmann::json& load_balancer) override;
    Result<void> delete_amphora(const AmphoraInfo& amphora) override;
    // Where new agents send heartbeats (set once the health manager knows its port).
    void set_controllers(std::vector<std::string> controllers);

    // Called (on a watcher thread) with the amphora id when an agent this driver started, or
    // re-found with watch_existing(), exits without delete_amphora() asking it to.
    using AgentLost = std::function<void(const std::string& amphora_id)>;
    void set_on_agent_lost(AgentLost on_lost);
    // After a controller restart: watches the agents of the amphorae under the state directory
    // again (by the PID recorded at spawn, checked against the amphora id); those already dead
    // are reported lost at once. Returns how many are watched.
    size_t watch_existing();

  private:
    Result<void> unplug_amphora(const std::string& amphora_id);
    struct Impl;
    explicit LocalAmphoraDriver(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace octane::drivers
