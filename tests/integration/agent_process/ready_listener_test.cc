// The agent's readiness wait against real child processes: a child that says READY=1 on the
// socket named in its environment, one that exits first, one that never answers.

#include "agent/ready_listener.h"

#include <chrono>
#include <csignal>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include "agent/process.h"

namespace octane::agent {
namespace {

using namespace std::chrono_literals;

// Sends READY=1 to $NOTIFY_SOCKET ("@name" = abstract), as octane-proxy does once it serves.
const char* kNotifier = R"(
import os, socket
name = os.environ["NOTIFY_SOCKET"]
address = "\0" + name[1:] if name.startswith("@") else name
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.sendto(b"READY=1\nMAINPID=%d\n" % os.getpid(), address)
import time
time.sleep(30)
)";

TEST(ReadyListener, ReadyFromTheChildNamedInItsEnvironment) {
    auto listener = ReadyListener::open();
    ASSERT_TRUE(listener) << listener.error().message;
    SpawnOptions options;
    options.extra_env.push_back(listener->environment_entry());
    auto pid = spawn_process({"/usr/bin/python3", "-c", kNotifier}, options);
    ASSERT_TRUE(pid) << pid.error().message;
    int status = 0;
    EXPECT_EQ(listener->wait(*pid, 20s, &status), Readiness::kReady);
    EXPECT_TRUE(stop_process(*pid, SIGTERM, 5000ms));
}

TEST(ReadyListener, AChildThatExitsFirstIsReapedWithItsStatus) {
    auto listener = ReadyListener::open();
    ASSERT_TRUE(listener) << listener.error().message;
    SpawnOptions options;
    options.extra_env.push_back(listener->environment_entry());
    auto pid = spawn_process({"/bin/sh", "-c", "exit 3"}, options);
    ASSERT_TRUE(pid) << pid.error().message;
    int status = 0;
    ASSERT_EQ(listener->wait(*pid, 20s, &status), Readiness::kExited);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 3);
}

TEST(ReadyListener, ASilentChildTimesOut) {
    auto listener = ReadyListener::open();
    ASSERT_TRUE(listener) << listener.error().message;
    auto pid = spawn_process({"/bin/sleep", "30"}, {});
    ASSERT_TRUE(pid) << pid.error().message;
    int status = 0;
    EXPECT_EQ(listener->wait(*pid, 100ms, &status), Readiness::kTimedOut);
    EXPECT_TRUE(stop_process(*pid, SIGTERM, 5000ms));
}

TEST(ReadyListener, EachListenerHasItsOwnName) {
    auto a = ReadyListener::open();
    auto b = ReadyListener::open();
    ASSERT_TRUE(a && b);
    EXPECT_NE(a->environment_entry(), b->environment_entry());
    EXPECT_EQ(a->environment_entry().rfind("NOTIFY_SOCKET=@", 0), 0u);
}

}  // namespace
}  // namespace octane::agent
