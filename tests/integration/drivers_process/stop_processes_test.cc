// Finding a VM's processes by a marker on their command line, and stopping them all at once:
// what a simulated host's delete does (drivers/simulated_hosts.h).

#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/uuid.h"
#include "drivers/local_process.h"

namespace octane::drivers {
namespace {

using namespace std::chrono_literals;

pid_t start(const std::vector<std::string>& argv) {
    auto pid = spawn_detached(argv, "/dev/null");
    EXPECT_TRUE(pid) << pid.error().message;
    return pid ? *pid : -1;
}

TEST(StopProcesses, FindsTheMarkedOnesAndStopsThemEvenWhenTheyIgnoreSigterm) {
    const std::string marker = "vm-" + make_uuid();
    // One that exits on SIGTERM, one that ignores it (only SIGKILL ends it), one unrelated.
    pid_t polite = start({"/bin/sh", "-c", "exec sleep 30", marker});
    pid_t stubborn = start({"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.05; done", marker});
    pid_t other = start({"/bin/sh", "-c", "exec sleep 30", "someone-else"});
    ASSERT_GT(polite, 0);
    ASSERT_GT(stubborn, 0);
    ASSERT_GT(other, 0);
    // `exec sleep` drops the marker from the first one's command line: only the shell had it.
    auto deadline = std::chrono::steady_clock::now() + 5s;
    std::vector<pid_t> found;
    while (std::chrono::steady_clock::now() < deadline) {
        found = processes_matching(marker);
        if (found.size() == 1) {
            break;
        }
    }
    ASSERT_EQ(found, std::vector<pid_t>{stubborn});
    auto before = std::chrono::steady_clock::now();
    stop_processes(found, 200ms);
    EXPECT_LT(std::chrono::steady_clock::now() - before, 3s);
    EXPECT_FALSE(process_alive(stubborn));
    EXPECT_TRUE(process_alive(other));
    EXPECT_TRUE(processes_matching(marker).empty());
    stop_processes({polite, other}, 1s);
    EXPECT_FALSE(process_alive(polite));
    EXPECT_FALSE(process_alive(other));
}

}  // namespace
}  // namespace octane::drivers
