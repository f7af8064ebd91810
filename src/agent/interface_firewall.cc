#include "agent/interface_firewall.h"

#include <atomic>
#include <mutex>
#include <optional>

#include <spdlog/spdlog.h>

#include "agent/host_info.h"
#include "agent/interface_rules.h"
#include "net/netns.h"
#include "net/nft.h"

namespace octane::agent {
namespace {

void note_not_enforced() {
    static std::atomic<bool> noted{false};
    if (!noted.exchange(true)) {
        spdlog::warn(
            "interface rules (allowed_cidrs) are stored but not loaded: the engine shares this "
            "host's network namespace (no --engine-netns), where a drop policy would filter the "
            "whole machine");
    }
}

bool table_loaded(const std::string& netns) {
    auto ruleset = net::nft_list_ruleset(netns);
    return ruleset &&
           ruleset->find(std::string("table inet ") + kAmphoraNftTable + " ") != std::string::npos;
}

}  // namespace

FirewallOutcome enforce_interface_rules(const std::string& engine_netns, const std::string& ip,
                                        const std::vector<wire::InterfaceRule>& rules) {
    // Checked also where nothing is loaded: the same body gets the same answer everywhere.
    if (auto checked = render_interface_rules(rules, "lo"); !checked) {
        return {400, "Invalid request", checked.error().message};
    }
    if (engine_netns.empty()) {
        note_not_enforced();
        return {};
    }
    std::optional<std::string> interface;
    auto looked = net::in_netns(engine_netns, [&]() -> Result<void> {
        interface = interface_with_address(ip);
        return {};
    });
    if (!looked) {
        return {500, "Error loading rules", looked.error().message};
    }
    if (!interface) {
        return {404, "Error interface not found for IP address", ip};
    }
    auto batch = render_interface_rules(rules, *interface);
    if (!batch) {
        return {400, "Invalid request", batch.error().message};
    }
    // One PUT at a time: the check for loaded rules and the load belong together.
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (rules.empty() && table_loaded(engine_netns)) {
        return {};
    }
    if (auto loaded = net::nft_apply(engine_netns, *batch); !loaded) {
        return {500, "Error loading rules", loaded.error().message};
    }
    spdlog::info("interface {} ({}): {} rule(s) loaded in {}", *interface, ip, rules.size(),
                 engine_netns);
    return {};
}

}  // namespace octane::agent
