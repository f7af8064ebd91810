#include "service/host_commands.h"

#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

#include "common/clock.h"
#include "db/open_database.h"
#include "drivers/local_process.h"
#include "linuxbridge/linuxbridge_driver.h"
#include "networking/network_store.h"
#include "service/service_options.h"

namespace octane::service {

struct HostCommands::State {
    RawFlags flags;
    CLI::App* create = nullptr;
    CLI::App* list = nullptr;
    CLI::App* remove = nullptr;
    CLI::App* teardown = nullptr;
    std::string name, network = "selfservice";
    int host = 1;
    std::vector<std::string> command;
};

namespace {

// execv takes a path: a bare program name is looked up on PATH, as a shell would.
std::string program_path(const std::string& name) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    const char* path = std::getenv("PATH");
    std::string dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
    size_t start = 0;
    while (start <= dirs.size()) {
        size_t end = dirs.find(':', start);
        std::string dir =
            dirs.substr(start, end == std::string::npos ? std::string::npos : end - start);
        std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / name;
        if (access(candidate.c_str(), X_OK) == 0) {
            return candidate.string();
        }
        if (end == std::string::npos) {
            break;
        }
        start = end + 1;
    }
    return name;
}

void print_instance(const linuxbridge::Instance& i, pid_t pid) {
    std::cout << "name       " << i.name << "\n"
              << "namespace  " << i.netns << "\n"
              << "host       " << i.host << "\n"
              << "network_id " << i.network_id << "\n"
              << "port_id    " << i.port_id << "\n"
              << "address    " << i.address << "\n"
              << "mac        " << i.mac << "\n";
    if (pid > 0) {
        std::cout << "pid        " << pid << "\n";
    }
}

}  // namespace

HostCommands::HostCommands(CLI::App& app) : state_(std::make_unique<State>()) {
    auto& s = *state_;
    auto* group = app.add_subcommand("host", "instances on the linuxbridge network (root)");
    group->require_subcommand(1);
    s.create = group->add_subcommand("create", "plug a new instance into a network");
    s.create->add_option("name", s.name, "instance name (namespace octane-vm-<name>)")->required();
    s.create->add_option("--network", s.network, "network name or id (default selfservice)");
    s.create->add_option("--host", s.host, "simulated compute host number (default 1)");
    s.create->add_option("command", s.command, "command to run in the instance (after --)");
    s.list = group->add_subcommand("list", "instances: name host address mac namespace");
    s.remove = group->add_subcommand("delete", "remove an instance, its port and processes");
    s.remove->add_option("name", s.name, "instance name")->required();
    auto* network = app.add_subcommand("network", "the linuxbridge network on this machine (root)");
    network->require_subcommand(1);
    s.teardown = network->add_subcommand(
        "teardown",
        "remove every namespace, device and route the linuxbridge driver made (amphorae and "
        "instances included); the database is kept and the next serve rebuilds from it");
    for (auto* command : {s.create, s.list, s.remove, s.teardown}) {
        add_store_flags(*command, s.flags);
    }
}

HostCommands::~HostCommands() = default;

bool HostCommands::run(int* exit_code) {
    auto& s = *state_;
    if (!s.create->parsed() && !s.list->parsed() && !s.remove->parsed() && !s.teardown->parsed()) {
        return false;
    }
    auto fail = [&](const std::string& message) {
        std::cerr << "octane host: " << message << "\n";
        *exit_code = 1;
        return true;
    };
    RawFlags flags = s.flags;
    flags.network_driver = "linuxbridge";
    auto options = resolve(flags);
    if (!options) {
        return fail(options.error().message);
    }
    auto url = database_url(*options);
    if (!url) {
        return fail(url.error().message);
    }
    if (url->engine == db::Engine::kSqlite && !std::filesystem::exists(url->target)) {
        return fail("no database at " + url->target +
                    " (start `octane serve --network-driver "
                    "linuxbridge` first)");
    }
    auto database = db::open_database(*url);
    if (!database) {
        return fail(database.error().message);
    }
    if (auto migrated = networking::migrate_networking(**database); !migrated) {
        return fail(migrated.error().message);
    }
    SystemClock clock;
    networking::NetworkStore store(**database, clock);
    auto driver = linuxbridge::LinuxbridgeDriver::create(**database, store, options->linuxbridge);
    if (!driver) {
        return fail(driver.error().message);
    }
    *exit_code = 0;
    if (s.teardown->parsed()) {
        if (auto done = (*driver)->teardown(); !done) {
            return fail(done.error().message);
        }
        return true;
    }
    if (s.list->parsed()) {
        auto instances = (*driver)->list_instances();
        if (!instances) {
            return fail(instances.error().message);
        }
        for (const auto& i : *instances) {
            std::cout << i.name << " " << i.host << " " << i.address << " " << i.mac << " "
                      << i.netns << "\n";
        }
        return true;
    }
    if (s.remove->parsed()) {
        if (auto done = (*driver)->delete_instance(s.name); !done) {
            return fail(done.error().message);
        }
        return true;
    }
    auto instance = (*driver)->create_instance(s.name, s.network, s.host);
    if (!instance) {
        return fail(instance.error().message);
    }
    pid_t pid = 0;
    if (!s.command.empty()) {
        std::vector<std::string> argv = s.command;
        argv[0] = program_path(argv[0]);
        std::string dir = options->state_dir + "/hosts";
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        auto started = drivers::spawn_detached(argv, dir + "/" + s.name + ".log", instance->netns);
        if (!started) {
            (void)(*driver)->delete_instance(s.name);
            return fail(started.error().message);
        }
        pid = *started;
    }
    print_instance(*instance, pid);
    return true;
}

}  // namespace octane::service
