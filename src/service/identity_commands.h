#pragma once

// `octane project create`, `octane user create`, `octane role add`: administration of the
// built-in identity straight on the state directory's database (no server needed).

#include <memory>

namespace CLI {
class App;
}

namespace octane::service {

class IdentityCommands {
  public:
    explicit IdentityCommands(CLI::App& app);
    ~IdentityCommands();
    // True when one of these subcommands was parsed; then *exit_code is set.
    bool run(int* exit_code);

  private:
    struct State;
    std::unique_ptr<State> state_;
};

}  // namespace octane::service
