// Socket set-up the engine relies on (loopback only).

#include "proxy/io/socket_ops.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proxy/io/address.h"

namespace octane::proxy {
namespace {

int nodelay_of(int fd) {
    int v = -1;
    socklen_t len = sizeof(v);
    EXPECT_EQ(getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &v, &len), 0);
    return v;
}

// The accept path sets no socket option: a client's socket must come out of accept() without
// Nagle already, from its listener.
TEST(OpenListener, AcceptedSocketsHaveNoNagle) {
    auto ep = parse_endpoint("127.0.0.1:0");
    ASSERT_TRUE(ep);
    auto lfd = open_listener(*ep, 16);
    ASSERT_TRUE(lfd);
    sockaddr_in addr{};
    socklen_t alen = sizeof(addr);
    ASSERT_EQ(getsockname(*lfd, reinterpret_cast<sockaddr*>(&addr), &alen), 0);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_EQ(connect(c, reinterpret_cast<sockaddr*>(&addr), alen), 0);
    int a = accept4(*lfd, nullptr, nullptr, SOCK_CLOEXEC);  // blocking: the handshake is done
    ASSERT_GE(a, 0);
    EXPECT_EQ(nodelay_of(a), 1);
    close(a);
    close(c);
    close(*lfd);
}

}  // namespace
}  // namespace octane::proxy
