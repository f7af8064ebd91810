#include "netns_fixture.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include <arpa/inet.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/netns.h"
#include "net/unique_fd.h"

namespace octane::net::testing {

CommandResult run_command(const std::string& command) {
    CommandResult result;
    FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
    if (pipe == nullptr) {
        return result;
    }
    std::array<char, 4096> buffer{};
    size_t got = 0;
    while ((got = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
        result.output.append(buffer.data(), got);
    }
    const int status = ::pclose(pipe);
    result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

size_t count_occurrences(const std::string& haystack, const std::string& needle) {
    size_t count = 0;
    for (size_t at = haystack.find(needle); at != std::string::npos;
         at = haystack.find(needle, at + needle.size())) {
        ++count;
    }
    return count;
}

void NetnsTest::SetUp() {
    if (::geteuid() != 0) {
        GTEST_SKIP() << "needs root: creates network namespaces and devices";
    }
}

void NetnsTest::TearDown() {
    for (const auto& name : created_) {
        auto deleted = delete_netns(name);
        EXPECT_TRUE(deleted) << deleted.error().message;
        EXPECT_FALSE(netns_exists(name)) << name;
        const auto names = list_netns();
        EXPECT_EQ(std::count(names.begin(), names.end(), name), 0) << name;
    }
}

std::string NetnsTest::unique_netns_name(const std::string& role) {
    static int counter = 0;
    return "octane-t" + std::to_string(::getpid()) + "-" + role + "-" + std::to_string(++counter);
}

std::string NetnsTest::make_netns(const std::string& role) {
    const std::string name = unique_netns_name(role);
    auto created = create_netns(name);
    EXPECT_TRUE(created) << created.error().message;
    created_.push_back(name);
    return name;
}

void send_datagram(const std::string& ns, const std::string& ip, uint16_t port) {
    auto sent = in_netns(ns, [&]() -> Result<void> {
        UniqueFd sock(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(port);
        if (!sock.valid() || inet_pton(AF_INET, ip.c_str(), &to.sin_addr) != 1 ||
            ::sendto(sock.get(), "x", 1, 0, reinterpret_cast<sockaddr*>(&to), sizeof to) != 1) {
            return make_error("datagram to " + ip);
        }
        return {};
    });
    EXPECT_TRUE(sent) << sent.error().message;
}

}  // namespace octane::net::testing
