#include "service/host_agent_commands.h"

#include <iostream>

#include <CLI/CLI.hpp>

#include "common/clock.h"
#include "db/compute_hosts.h"
#include "db/open_database.h"
#include "db/schema.h"
#include "service/service_options.h"

namespace octane::service {

struct HostAgentCommands::State {
    RawFlags flags;
    CLI::App* list = nullptr;
    CLI::App* disable = nullptr;
    CLI::App* enable = nullptr;
    std::string host;
};

HostAgentCommands::HostAgentCommands(CLI::App& app) : state_(std::make_unique<State>()) {
    auto& s = *state_;
    auto* group = app.add_subcommand(
        "host-agent", "admin state of the simulated compute hosts amphorae run on (linuxbridge)");
    group->require_subcommand(1);
    s.list = group->add_subcommand("list", "hosts: name, enabled|disabled, amphorae, updated_at");
    s.disable = group->add_subcommand(
        "disable", "no new amphorae on HOST; its amphorae fail over to enabled hosts");
    s.enable = group->add_subcommand("enable", "HOST takes new amphorae again");
    for (auto* command : {s.disable, s.enable}) {
        command->add_option("host", s.host, "host name, as `host-agent list` shows it")->required();
    }
    for (auto* command : {s.list, s.disable, s.enable}) {
        add_store_flags(*command, s.flags);
    }
}

HostAgentCommands::~HostAgentCommands() = default;

bool HostAgentCommands::run(int* exit_code) {
    auto& s = *state_;
    if (!s.list->parsed() && !s.disable->parsed() && !s.enable->parsed()) {
        return false;
    }
    auto fail = [&](const std::string& message) {
        std::cerr << "octane host-agent: " << message << "\n";
        *exit_code = 1;
        return true;
    };
    auto options = resolve(s.flags);
    if (!options) {
        return fail(options.error().message);
    }
    auto database = open_existing_database(*options);
    if (!database) {
        return fail(database.error().message);
    }
    if (auto migrated = db::migrate(**database); !migrated) {
        return fail(migrated.error().message);
    }
    db::ComputeHosts hosts(**database);
    *exit_code = 0;
    if (s.list->parsed()) {
        auto listed = hosts.list();
        if (!listed) {
            return fail(listed.error().message);
        }
        for (const auto& h : *listed) {
            std::cout << h.host << " " << (h.enabled ? "enabled" : "disabled") << " " << h.amphorae
                      << " " << h.updated_at << "\n";
        }
        return true;
    }
    bool enable = s.enable->parsed();
    auto changed =
        hosts.set_enabled(s.host, enable, format_timestamp(std::chrono::system_clock::now()));
    if (!changed) {
        return fail(changed.error().message);
    }
    if (!*changed) {
        return fail("no compute host " + s.host + " (see `octane host-agent list`)");
    }
    std::cout << s.host
              << (enable ? " enabled\n"
                         : " disabled: no new amphorae; its amphorae are failed over "
                           "to enabled hosts, one load balancer at a time\n");
    return true;
}

}  // namespace octane::service
