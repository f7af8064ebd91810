#include "networking/visibility.h"

#include <gtest/gtest.h>

namespace octane::networking {
namespace {

using nlohmann::json;

const drivers::NetworkCaller kAdmin{std::string("adm"), true};
const drivers::NetworkCaller kOwner{std::string("a"), false};
const drivers::NetworkCaller kOther{std::string("b"), false};
const drivers::NetworkCaller kUnscoped{std::nullopt, false};

TEST(Visibility, OwnObjectsAndAdmins) {
    json port = {{"project_id", "a"}};
    EXPECT_TRUE(visible_to(kOwner, NetKind::kPort, port, nullptr));
    EXPECT_TRUE(visible_to(kAdmin, NetKind::kPort, port, nullptr));
    EXPECT_FALSE(visible_to(kOther, NetKind::kPort, port, nullptr));
    EXPECT_TRUE(writable_by(kOwner, port));
    EXPECT_FALSE(writable_by(kOther, port));
    // an unscoped caller owns nothing, not even objects without a project (floating IP ports)
    EXPECT_FALSE(visible_to(kUnscoped, NetKind::kPort, {{"project_id", ""}}, nullptr));
    EXPECT_FALSE(writable_by(kUnscoped, {{"project_id", ""}}));
}

TEST(Visibility, SharedAndExternalNetworks) {
    json shared = {{"project_id", "a"}, {"shared", true}, {"router:external", false}};
    json external = {{"project_id", "a"}, {"shared", false}, {"router:external", true}};
    json private_net = {{"project_id", "a"}, {"shared", false}, {"router:external", false}};
    EXPECT_TRUE(visible_to(kOther, NetKind::kNetwork, shared, nullptr));
    EXPECT_TRUE(visible_to(kOther, NetKind::kNetwork, external, nullptr));
    EXPECT_FALSE(visible_to(kOther, NetKind::kNetwork, private_net, nullptr));
    EXPECT_FALSE(writable_by(kOther, shared));
    // subnets: only those of shared networks, not of external ones (as Neutron)
    json subnet = {{"project_id", "a"}};
    EXPECT_TRUE(visible_to(kOther, NetKind::kSubnet, subnet, &shared));
    EXPECT_FALSE(visible_to(kOther, NetKind::kSubnet, subnet, &external));
    EXPECT_FALSE(visible_to(kOther, NetKind::kSubnet, subnet, &private_net));
    EXPECT_FALSE(visible_to(kOther, NetKind::kSubnet, subnet, nullptr));
}

}  // namespace
}  // namespace octane::networking
