#include "net/links.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "net/netns.h"
#include "netns_fixture.h"

namespace octane::net {
namespace {

using testing::NetnsTest;
using testing::run_command;

// `ip -d -j link show dev` inside ns, as iproute2 reports it.
nlohmann::json ip_link_details(const std::string& ns, const std::string& dev) {
    const auto shown = run_command("ip netns exec " + ns + " ip -d -j link show dev " + dev);
    if (shown.status != 0) {
        ADD_FAILURE() << shown.output;
        return nlohmann::json::object();
    }
    return nlohmann::json::parse(shown.output).at(0);
}

LinkInfo must_find(const std::string& ns, const std::string& name) {
    auto link = find_link(ns, name);
    if (!link || !link->has_value()) {
        ADD_FAILURE() << name << " not found in " << ns;
        return {};
    }
    return **link;
}

TEST_F(NetnsTest, VethAcrossNamespacesWithMacAndMtu) {
    const std::string host = make_netns("host");
    const std::string vm = make_netns("vm");
    auto added = add_veth(host, "tapveth0000-0", vm, "eth0", "fa:16:3e:11:22:33", 1450);
    ASSERT_TRUE(added) << added.error().message;

    const LinkInfo tap = must_find(host, "tapveth0000-0");
    const LinkInfo eth0 = must_find(vm, "eth0");
    EXPECT_EQ(tap.kind, "veth");
    EXPECT_EQ(eth0.kind, "veth");
    EXPECT_EQ(eth0.mac, "fa:16:3e:11:22:33");
    EXPECT_EQ(tap.mtu, 1450);
    EXPECT_EQ(eth0.mtu, 1450);
    EXPECT_FALSE(tap.up);
    EXPECT_FALSE(eth0.up);
    auto absent = find_link(host, "eth0");
    ASSERT_TRUE(absent);
    EXPECT_FALSE(absent->has_value());

    // Again as asked: success, nothing duplicated; a new MAC is applied to the existing end.
    auto again = add_veth(host, "tapveth0000-0", vm, "eth0", "fa:16:3e:11:22:33", 1450);
    EXPECT_TRUE(again) << again.error().message;
    auto new_mac = add_veth(host, "tapveth0000-0", vm, "eth0", "fa:16:3e:44:55:66", 1450);
    EXPECT_TRUE(new_mac) << new_mac.error().message;
    EXPECT_EQ(must_find(vm, "eth0").mac, "fa:16:3e:44:55:66");
    // A veth to somewhere else under the same name is refused.
    EXPECT_FALSE(add_veth(host, "tapveth0000-0", vm, "eth9", "", 0));
}

// "" is the calling thread's namespace: inside in_netns(caller, ...) that is caller, so the test
// touches no device of the machine's own namespace.
TEST_F(NetnsTest, VethWithOneEndInTheCallersNamespace) {
    const std::string caller = make_netns("caller");
    const std::string ns = make_netns("half");
    auto ran = in_netns(caller, [&]() -> Result<void> {
        if (auto added = add_veth(ns, "inner0", "", "outer0", "", 0); !added) {
            return added;
        }
        EXPECT_EQ(must_find("", "outer0").kind, "veth");
        return {};
    });
    ASSERT_TRUE(ran) << ran.error().message;
    EXPECT_EQ(must_find(caller, "outer0").kind, "veth");
    EXPECT_EQ(must_find(ns, "inner0").kind, "veth");
    auto deleted = delete_link(caller, "outer0");
    EXPECT_TRUE(deleted) << deleted.error().message;
    auto gone = find_link(ns, "inner0");
    ASSERT_TRUE(gone);
    EXPECT_FALSE(gone->has_value()) << "deleting one end removes the pair";
}

TEST_F(NetnsTest, BridgeHasNoForwardDelayNoStpAndIsUp) {
    const std::string ns = make_netns("br");
    auto added = add_bridge(ns, "brq6a303139-3b", 1450);
    ASSERT_TRUE(added) << added.error().message;
    const LinkInfo bridge = must_find(ns, "brq6a303139-3b");
    EXPECT_EQ(bridge.kind, "bridge");
    EXPECT_TRUE(bridge.up);
    EXPECT_EQ(bridge.mtu, 1450);
    const auto details = ip_link_details(ns, "brq6a303139-3b");
    EXPECT_EQ(details["linkinfo"]["info_data"]["forward_delay"], 0) << details.dump();
    EXPECT_EQ(details["linkinfo"]["info_data"]["stp_state"], 0) << details.dump();

    // An existing bridge is brought back to the asked settings.
    auto down = set_up(ns, "brq6a303139-3b", false);
    ASSERT_TRUE(down) << down.error().message;
    EXPECT_FALSE(must_find(ns, "brq6a303139-3b").up);
    auto again = add_bridge(ns, "brq6a303139-3b", 1450);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(must_find(ns, "brq6a303139-3b").up);

    // A device of another kind under that name is not silently turned into a bridge.
    ASSERT_TRUE(add_veth(ns, "notbridge0", ns, "notbridge1", "", 0));
    auto clash = add_bridge(ns, "notbridge0", 0);
    ASSERT_FALSE(clash);
    EXPECT_NE(clash.error().message.find("notbridge0"), std::string::npos);
    EXPECT_NE(clash.error().message.find(ns), std::string::npos);
}

TEST_F(NetnsTest, MasterUpMtuRenameDelete) {
    const std::string ns = make_netns("ops");
    ASSERT_TRUE(add_bridge(ns, "brqops", 0));
    ASSERT_TRUE(add_veth(ns, "tapops0", ns, "peerops0", "", 0));

    auto enslaved = set_master(ns, "tapops0", "brqops");
    ASSERT_TRUE(enslaved) << enslaved.error().message;
    EXPECT_EQ(must_find(ns, "tapops0").master, "brqops");
    EXPECT_TRUE(set_master(ns, "tapops0", "brqops"));
    auto listed = list_links(ns);
    ASSERT_TRUE(listed);
    const auto tap = std::find_if(listed->begin(), listed->end(),
                                  [](const LinkInfo& link) { return link.name == "tapops0"; });
    ASSERT_NE(tap, listed->end());
    EXPECT_EQ(tap->master, "brqops");
    auto released = set_master(ns, "tapops0", "");
    ASSERT_TRUE(released) << released.error().message;
    EXPECT_EQ(must_find(ns, "tapops0").master, "");

    ASSERT_TRUE(set_up(ns, "tapops0"));
    EXPECT_TRUE(must_find(ns, "tapops0").up);
    ASSERT_TRUE(set_up(ns, "tapops0", false));
    EXPECT_FALSE(must_find(ns, "tapops0").up);

    ASSERT_TRUE(set_mtu(ns, "tapops0", 1400));
    EXPECT_EQ(must_find(ns, "tapops0").mtu, 1400);
    EXPECT_FALSE(set_mtu(ns, "tapops0", 0));

    auto renamed = rename_link(ns, "tapops0", "qr-ops0");
    ASSERT_TRUE(renamed) << renamed.error().message;
    EXPECT_TRUE(must_find(ns, "qr-ops0").kind == "veth");
    EXPECT_TRUE(rename_link(ns, "tapops0", "qr-ops0")) << "done already";
    EXPECT_FALSE(rename_link(ns, "nosuchdev", "other"));

    auto missing = set_up(ns, "nosuchdev");
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error().message.find("nosuchdev"), std::string::npos);
    EXPECT_NE(missing.error().message.find(ns), std::string::npos);

    ASSERT_TRUE(delete_link(ns, "qr-ops0"));
    auto gone = find_link(ns, "peerops0");
    ASSERT_TRUE(gone);
    EXPECT_FALSE(gone->has_value());
    EXPECT_TRUE(delete_link(ns, "qr-ops0")) << "missing is success";
}

}  // namespace
}  // namespace octane::net
