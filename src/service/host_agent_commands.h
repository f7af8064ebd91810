#pragma once

// `octane host-agent list|disable|enable`: the admin state of the simulated compute hosts
// amphorae run on (Neutron's `openstack network agent list/set --disable`, Nova's `compute
// service set --disable`). The state lives in the database (db/compute_hosts.h), so every
// controller process sees it: a disabled host gets no new amphorae, and the health manager fails
// its amphorae over to enabled hosts, one load balancer at a time. Works straight on the state
// directory's database, as the identity and host commands do.

#include <memory>

namespace CLI {
class App;
}

namespace octane::service {

class HostAgentCommands {
  public:
    explicit HostAgentCommands(CLI::App& app);
    ~HostAgentCommands();
    // True when one of these subcommands was parsed; then *exit_code is set.
    bool run(int* exit_code);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace octane::service
