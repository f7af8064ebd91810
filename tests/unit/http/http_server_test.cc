#include "http/http_server.h"

#include <atomic>
#include <string>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace octane::http {
namespace {

// A loopback client socket connected to port, with one GET written; -1 on failure.
int send_get(uint16_t port) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        return -1;
    }
    const std::string request = "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
    return ::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size()) ? fd
                                                                                               : -1;
}

bool readable_within(int fd, int milliseconds) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, milliseconds) == 1;
}

std::string read_all(int fd) {
    std::string out;
    char buffer[4096];
    for (int i = 0; i < 100 && readable_within(fd, 5000); ++i) {
        ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n <= 0) {
            break;
        }
        out.append(buffer, static_cast<size_t>(n));
    }
    return out;
}

TEST(HttpServer, ListeningAloneQueuesConnectionsUntilStart) {
    std::atomic<int> handled{0};
    HttpServerOptions options;
    options.bind_port = 0;
    HttpServer server(options, [&handled](const HttpRequest&) {
        ++handled;
        return HttpResponse{200, "text/plain", {}, "served"};
    });
    ASSERT_TRUE(server.listen());
    ASSERT_NE(server.port(), 0);

    int fd = send_get(server.port());
    ASSERT_GE(fd, 0) << "the kernel accepts into the backlog once listening";
    // Not served before start(): first-start setup runs in this window.
    EXPECT_FALSE(readable_within(fd, 300));
    EXPECT_EQ(handled.load(), 0);

    ASSERT_TRUE(server.start());
    std::string response = read_all(fd);
    ::close(fd);
    EXPECT_NE(response.find("200"), std::string::npos) << response;
    EXPECT_NE(response.find("served"), std::string::npos) << response;
    EXPECT_EQ(handled.load(), 1);
    server.stop();
}

TEST(HttpServer, StartAloneListensAndServes) {
    HttpServerOptions options;
    options.bind_port = 0;
    HttpServer server(options, [](const HttpRequest&) {
        return HttpResponse{200, "text/plain", {}, "ok"};
    });
    ASSERT_TRUE(server.start());
    int fd = send_get(server.port());
    ASSERT_GE(fd, 0);
    EXPECT_NE(read_all(fd).find("ok"), std::string::npos);
    ::close(fd);
    server.stop();
}

}  // namespace
}  // namespace octane::http
