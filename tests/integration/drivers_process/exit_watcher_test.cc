// The controller's watch of detached processes (drivers/exit_watcher.h) against real ones: a
// watched process killed with -9 is reported at once; one unwatched before it is stopped is not;
// a PID whose command line does not name what we expect is not watched at all.

#include "drivers/exit_watcher.h"

#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "drivers/local_process.h"

namespace octane::drivers {
namespace {

using namespace std::chrono_literals;

// What the watcher reported, waited on with a bound instead of a sleep.
struct Reports {
    std::mutex mutex;
    std::condition_variable changed;
    std::vector<std::string> names;

    void add(const std::string& name) {
        {
            std::lock_guard lock(mutex);
            names.push_back(name);
        }
        changed.notify_all();
    }
    bool wait_for_count(size_t count, std::chrono::milliseconds limit) {
        std::unique_lock lock(mutex);
        return changed.wait_for(lock, limit, [&] { return names.size() >= count; });
    }
};

// A detached process whose command line carries `marker` (as an agent's carries its amphora
// id), returned once it runs that command line (exec done).
pid_t start_sleeper(const std::string& marker) {
    auto pid = spawn_detached({"/usr/bin/python3", "-c", "import time; time.sleep(30)", marker},
                              "/dev/null");
    EXPECT_TRUE(pid.has_value());
    if (!pid) {
        return -1;
    }
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (!process_matches(*pid, marker) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
    }
    EXPECT_TRUE(process_matches(*pid, marker));
    return *pid;
}

TEST(ExitWatcher, AKilledProcessIsReportedAtOnce) {
    Reports reports;
    auto watcher = ExitWatcher::start([&](const std::string& name) { reports.add(name); });
    ASSERT_TRUE(watcher.has_value());
    pid_t pid = start_sleeper("amphora-one");
    ASSERT_TRUE((*watcher)->watch("amphora-one", pid, "amphora-one").has_value());
    EXPECT_TRUE((*watcher)->watching("amphora-one"));

    auto killed_at = std::chrono::steady_clock::now();
    kill(pid, SIGKILL);
    ASSERT_TRUE(reports.wait_for_count(1, 2s));
    EXPECT_LT(std::chrono::steady_clock::now() - killed_at, 500ms);
    EXPECT_EQ(reports.names, std::vector<std::string>{"amphora-one"});
    EXPECT_FALSE((*watcher)->watching("amphora-one"));
}

TEST(ExitWatcher, AProcessStoppedAfterUnwatchIsNotReported) {
    Reports reports;
    auto watcher = ExitWatcher::start([&](const std::string& name) { reports.add(name); });
    ASSERT_TRUE(watcher.has_value());
    pid_t quiet = start_sleeper("amphora-quiet");
    pid_t loud = start_sleeper("amphora-loud");
    ASSERT_TRUE((*watcher)->watch("amphora-quiet", quiet, "amphora-quiet").has_value());
    ASSERT_TRUE((*watcher)->watch("amphora-loud", loud, "amphora-loud").has_value());

    (*watcher)->unwatch("amphora-quiet");
    stop_process(quiet, 2s);
    // The loud one's report comes after the quiet one's exit: had that been reported, it would
    // be there first.
    kill(loud, SIGKILL);
    ASSERT_TRUE(reports.wait_for_count(1, 2s));
    EXPECT_EQ(reports.names, std::vector<std::string>{"amphora-loud"});
}

TEST(ExitWatcher, APidThatIsNotTheExpectedProcessIsNotWatched) {
    auto watcher = ExitWatcher::start([](const std::string&) {});
    ASSERT_TRUE(watcher.has_value());
    pid_t other = start_sleeper("someone-else");
    EXPECT_FALSE((*watcher)->watch("amphora-two", other, "amphora-two").has_value());
    EXPECT_FALSE((*watcher)->watching("amphora-two"));
    stop_process(other, 2s);
    EXPECT_FALSE((*watcher)->watch("amphora-two", other, "someone-else").has_value());  // gone
}

}  // namespace
}  // namespace octane::drivers
