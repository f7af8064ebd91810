#pragma once

// Test scaffolding: namespaces with names unique to this process, removed (and checked gone)
// after each test; a shell runner for verifying with iproute2 and nft, never for configuring.

#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace octane::net::testing {

struct CommandResult {
    int status = -1;  // exit status, -1 when it did not exit normally
    std::string output;
};

// Runs command under /bin/sh, stdout and stderr together.
CommandResult run_command(const std::string& command);

// Number of non-overlapping occurrences of needle in haystack.
size_t count_occurrences(const std::string& haystack, const std::string& needle);

// One UDP datagram from inside ns to ip:port (IPv4), e.g. to make ns resolve ip's MAC or create a
// conntrack entry; a failure to send is a test failure.
void send_datagram(const std::string& ns, const std::string& ip, uint16_t port);

class NetnsTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;

    // Creates "octane-t<pid>-<role>-<n>" and remembers it for TearDown.
    std::string make_netns(const std::string& role);
    // A name in the same scheme, not created.
    std::string unique_netns_name(const std::string& role);

  private:
    std::vector<std::string> created_;
};

}  // namespace octane::net::testing
