// keepalived's track script: succeeds while every engine with a pid file runs with its own
// haproxy.cfg, fails for a dead or recycled PID. Runs the script with bash on a temporary state
// directory and processes this test starts (and stops, by pid).

#include "agent/vrrp_check_script.h"

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

namespace octane::agent {
namespace {

namespace fs = std::filesystem;

class VrrpCheckScript : public ::testing::Test {
  protected:
    void SetUp() override {
        // A quote in the path: the script must keep it one word.
        state_ = fs::temp_directory_path() / ("octane vrrp'check-" + std::to_string(getpid()));
        fs::create_directories(state_ / "lb-1");
        script_ = state_ / "check_script.sh";
        std::ofstream(script_) << vrrp_check_script(state_.string());
    }
    void TearDown() override {
        for (pid_t pid : started_) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        fs::remove_all(state_);
    }
    int run() {
        // The path holds a single quote: pass it through the environment instead.
        setenv("OCTANE_CHECK_SCRIPT", script_.c_str(), 1);
        int status = std::system("bash \"$OCTANE_CHECK_SCRIPT\" >/dev/null 2>&1");
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    }
    // A process whose command line holds `cfg`, as an engine's `-f <cfg>` does.
    pid_t start_engine_like(const std::string& cfg) {
        pid_t pid = fork();
        if (pid == 0) {
            // The compound command keeps the shell (not an exec'd sleep) with cfg as its $0.
            execl("/bin/sh", "sh", "-c", "sleep 30; exit 0", cfg.c_str(),
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        started_.push_back(pid);
        return pid;
    }
    void write_pid(pid_t pid) { std::ofstream(state_ / "lb-1" / "haproxy.pid") << pid << "\n"; }

    fs::path state_;
    fs::path script_;
    std::vector<pid_t> started_;
};

TEST_F(VrrpCheckScript, NoEngineIsHealthy) {
    EXPECT_EQ(run(), 0);
}

TEST_F(VrrpCheckScript, RunningEngineIsHealthy) {
    write_pid(start_engine_like((state_ / "lb-1" / "haproxy.cfg").string()));
    EXPECT_EQ(run(), 0);
}

TEST_F(VrrpCheckScript, DeadEngineFails) {
    pid_t pid = start_engine_like((state_ / "lb-1" / "haproxy.cfg").string());
    write_pid(pid);
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    started_.clear();
    EXPECT_EQ(run(), 1);
}

TEST_F(VrrpCheckScript, RecycledPidFails) {
    write_pid(start_engine_like((state_ / "lb-2" / "haproxy.cfg").string()));
    EXPECT_EQ(run(), 1);
}

}  // namespace
}  // namespace octane::agent
