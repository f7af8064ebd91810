#include "drivers/simulated_hosts.h"

#include <filesystem>
#include <fstream>

#include <spdlog/spdlog.h>

#include "common/private_dir.h"
#include "drivers/local_process.h"

namespace octane::drivers {
namespace {

namespace fs = std::filesystem;

constexpr auto kAgentStopGrace = std::chrono::seconds(5);

}  // namespace

std::string SimulatedHosts::disk_path(const std::string& host,
                                      const std::string& amphora_id) const {
    return root_ + "/" + host + "/disks/" + amphora_id;
}

std::string SimulatedHosts::console_log(const std::string& host,
                                        const std::string& amphora_id) const {
    return root_ + "/" + host + "/console-" + amphora_id + ".log";
}

std::string SimulatedHosts::record_path(const std::string& host,
                                        const std::string& amphora_id) const {
    return root_ + "/" + host + "/servers/" + amphora_id + ".pid";
}

Result<pid_t> SimulatedHosts::boot(const BootRequest& request) const {
    std::string disk = disk_path(request.host, request.amphora_id);
    for (const std::string& dir : {disk, root_ + "/" + request.host + "/servers"}) {
        if (auto made = ensure_private_dir(dir); !made) {
            return Unexpected(made.error());
        }
    }
    PrivateDisk vm;
    vm.disk = disk;
    for (const auto& [name, content] : request.config_drive) {
        fs::path parent = fs::path(name).parent_path();
        if (!parent.empty()) {
            vm.dirs.push_back(parent.string());
        }
        vm.files.emplace_back(name, content);
    }
    // The engines' stats sockets (sun_path is short: not on the disk) in a directory of the VM's
    // own, so amphorae on one host never see each other's.
    if (auto made = ensure_private_dir(private_socket_dir()); !made) {
        return Unexpected(made.error());
    }
    vm.scratch.push_back(private_socket_dir());
    auto pid = spawn_detached(request.agent_argv, console_log(request.host, request.amphora_id),
                              request.mgmt_netns, &vm);
    if (!pid) {
        // The host's own console log says why (local_process.h reports the failed step there).
        std::ifstream console(console_log(request.host, request.amphora_id));
        std::string line, last;
        while (std::getline(console, line)) {
            last = line;
        }
        return make_error(pid.error().message + (last.empty() ? "" : ": " + last));
    }
    std::ofstream(record_path(request.host, request.amphora_id), std::ios::trunc) << *pid << "\n";
    return pid;
}

namespace {

// The VM's processes: those naming the amphora on their command line that run in a network
// namespace other than the controller's (the amphora's). A client on the controller's side that
// names the amphora (`openstack loadbalancer amphora show <id>`) is not the VM's.
std::vector<pid_t> vm_processes(const std::string& amphora_id) {
    std::error_code ec;
    auto own = fs::read_symlink("/proc/self/ns/net", ec);
    std::vector<pid_t> found;
    for (pid_t pid : processes_matching(amphora_id)) {
        std::error_code inner;
        auto theirs = fs::read_symlink("/proc/" + std::to_string(pid) + "/ns/net", inner);
        if (!inner && !ec && theirs != own) {
            found.push_back(pid);
        }
    }
    return found;
}

}  // namespace

void SimulatedHosts::destroy(const std::string& host, const std::string& amphora_id) const {
    // A graceful power-off first: SIGTERM to the VM's processes (the agent, which stops its
    // engines; and those that outlived a dead agent: engines, keepalived, which then resigns its
    // VRRP role at once instead of leaving the BACKUP to wait for the master-down timer). Every one
    // names the amphora id on its command line (the agent's --amphora-id, the others' paths on the
    // disk); the namespaces' removal kills the rest.
    std::string disk = disk_path(host, amphora_id);
    stop_processes(vm_processes(amphora_id), kAgentStopGrace);
    std::error_code ec;
    fs::remove(record_path(host, amphora_id), ec);
    fs::remove(console_log(host, amphora_id), ec);
    // An empty mount point from here: the disk itself is only mounted inside the VM.
    if (!fs::remove(disk, ec) && ec) {
        spdlog::warn("amphora {}: disk mount point not removed: {}", amphora_id, ec.message());
    }
}

std::vector<ServerRecord> SimulatedHosts::servers() const {
    std::vector<ServerRecord> out;
    std::error_code ec;
    for (const auto& host : fs::directory_iterator(root_, ec)) {
        std::error_code inner;
        for (const auto& entry : fs::directory_iterator(host.path() / "servers", inner)) {
            if (entry.path().extension() != ".pid") {
                continue;
            }
            std::ifstream in(entry.path());
            long pid = 0;
            if (in >> pid && pid > 0) {
                out.push_back({host.path().filename().string(), entry.path().stem().string(),
                               static_cast<pid_t>(pid)});
            }
        }
    }
    return out;
}

}  // namespace octane::drivers
