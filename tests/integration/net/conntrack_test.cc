#include "net/conntrack.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include "net/addresses.h"
#include "net/links.h"
#include "net/netns.h"
#include "net/nft.h"
#include "net/unique_fd.h"
#include "netns_fixture.h"

namespace octane::net {
namespace {

using testing::NetnsTest;
using testing::send_datagram;

TEST_F(NetnsTest, ConntrackEntriesOfOneAddressAreDeleted) {
    const std::string router = make_netns("ct-router");
    // A rule that looks at connection state turns tracking on in this namespace, as the NAT of a
    // router namespace does.
    ASSERT_TRUE(nft_apply(router,
                          "table ip ct_probe {\n"
                          "  chain out { type filter hook output priority 0; ct state new "
                          "counter; }\n}\n"));
    ASSERT_TRUE(add_veth(router, "ct0", router, "ct1", "", 0));
    ASSERT_TRUE(add_address(router, "ct0", "10.88.0.1/24"));
    ASSERT_TRUE(set_up(router, "ct0"));
    ASSERT_TRUE(set_up(router, "ct1"));
    ASSERT_TRUE(wait_until_operational(router, "ct0", std::chrono::seconds(3)));
    // Two flows to one address, one to another (unanswered: entries stay for the UDP timeout).
    send_datagram(router, "10.88.0.77", 9);
    send_datagram(router, "10.88.0.77", 10);
    send_datagram(router, "10.88.0.78", 9);

    auto first = delete_conntrack_entries(router, "10.88.0.77");
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(*first, 2u);
    auto again = delete_conntrack_entries(router, "10.88.0.77");
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_EQ(*again, 0u);
    auto other = delete_conntrack_entries(router, "10.88.0.78");
    ASSERT_TRUE(other) << other.error().message;
    EXPECT_EQ(*other, 1u);  // left alone by the first deletion
    // As source too: the router's own address is the original source of all three.
    send_datagram(router, "10.88.0.79", 9);
    auto by_source = delete_conntrack_entries(router, "10.88.0.1");
    ASSERT_TRUE(by_source) << by_source.error().message;
    EXPECT_EQ(*by_source, 1u);

    auto bad = delete_conntrack_entries(router, "2001:db8::1");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find("not an IPv4 address"), std::string::npos);
}

}  // namespace
}  // namespace octane::net
