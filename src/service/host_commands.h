#pragma once

// `octane host create/list/delete` and `octane network teardown`: instances to balance to, with the
// linuxbridge network driver (Nova's part of the seed: "two instances on selfservice"). An instance
// is a Neutron port (device_owner compute:nova) plugged into a namespace octane-vm-<name> on a
// simulated compute host, optionally running a command there. Works straight on the state
// directory's database and this machine's namespaces (root), as the identity commands do.

#include <memory>

namespace CLI {
class App;
}

namespace octane::service {

class HostCommands {
  public:
    explicit HostCommands(CLI::App& app);
    ~HostCommands();
    // True when one of these subcommands was parsed; then *exit_code is set.
    bool run(int* exit_code);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace octane::service
