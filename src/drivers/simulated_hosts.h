#pragma once

// The compute-node half of an amphora on a simulated host (linuxbridge): what Nova and the
// hypervisor do for an amphora VM, kept apart from the controller half (local_amphora_driver.h),
// which reaches the amphora only through its agent's API on lb-mgmt-net.
//
// A host owns <root>/<host>/ (root = <state>/compute): per amphora an empty directory that is the
// mount point of the VM's disk, its console log, and its server record (the agent's pid, as a
// hypervisor keeps its domains). The disk is a tmpfs mounted in the amphora's own mount namespace
// only (local_process.h, PrivateDisk), with its own socket directory beside it: from the
// controller's mount namespace the directory stays empty, so the controller could not read or write
// an amphora's files even by mistake. At boot the host writes the config drive into the disk
// (Octavia's user data: the agent's server certificate and key, the CA that signs the controller's
// client certificate, amphora-agent.conf with the heartbeat key); everything after goes over the
// agent API. Deleting the VM stops its agent; the namespaces' removal kills what is left, and the
// disk goes with the last process of its mount namespace.
//
// Why not a directory shared with the controller (what the `local` network driver's amphorae
// use): a shared directory lets controller code read agent files (pid files, ports, engine
// configurations) and so work only on one machine; a private mount makes that impossible.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <sys/types.h>

#include "common/result.h"

namespace octane::drivers {

struct ServerRecord {
    std::string host;
    std::string amphora_id;
    pid_t pid = 0;
};

// What the controller hands the host to boot an amphora with.
struct BootRequest {
    std::string host;
    std::string amphora_id;
    std::string mgmt_netns;               // where the agent runs (amphora-<id>)
    std::vector<std::string> agent_argv;  // paths in it point into disk_path()
    std::vector<std::pair<std::string, std::string>> config_drive;  // relative path -> content
};

class SimulatedHosts {
  public:
    explicit SimulatedHosts(std::string root) : root_(std::move(root)) {}

    // Where the amphora sees its disk (the agent's --state-dir); empty from anywhere else.
    std::string disk_path(const std::string& host, const std::string& amphora_id) const;
    std::string console_log(const std::string& host, const std::string& amphora_id) const;

    // Starts the amphora's agent on the host with a fresh disk holding the config drive.
    Result<pid_t> boot(const BootRequest& request) const;
    // Stops the agent (which stops its engines) and forgets the VM; a VM already gone is fine.
    void destroy(const std::string& host, const std::string& amphora_id) const;
    // The servers the hosts recorded (for watching them again after a controller restart).
    std::vector<ServerRecord> servers() const;

  private:
    std::string record_path(const std::string& host, const std::string& amphora_id) const;
    std::string root_;
};

}  // namespace octane::drivers
