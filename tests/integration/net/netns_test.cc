#include "net/netns.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/counters.h"
#include "net/links.h"
#include "net/netns_path.h"
#include "netns_fixture.h"

namespace octane::net {
namespace {

using testing::NetnsTest;
using testing::run_command;

ino_t inode_of(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

ino_t current_thread_netns() {
    return inode_of("/proc/thread-self/ns/net");
}

bool has_link(const Result<std::vector<LinkInfo>>& links, const std::string& name) {
    return links && std::any_of(links->begin(), links->end(),
                                [&](const LinkInfo& link) { return link.name == name; });
}

TEST_F(NetnsTest, CreateListDeleteAreIdempotentAndVisibleToIproute2) {
    const std::string name = unique_netns_name("life");
    EXPECT_FALSE(netns_exists(name));
    auto created = create_netns(name);
    ASSERT_TRUE(created) << created.error().message;
    auto again = create_netns(name);
    ASSERT_TRUE(again) << again.error().message;
    EXPECT_TRUE(netns_exists(name));
    const auto names = list_netns();
    EXPECT_EQ(std::count(names.begin(), names.end(), name), 1);

    const auto listed = run_command("ip netns list");
    EXPECT_EQ(listed.status, 0) << listed.output;
    EXPECT_NE(listed.output.find(name), std::string::npos) << listed.output;
    // iproute2 can enter it: its loopback is there, and nothing else.
    const auto inside = run_command("ip netns exec " + name + " ip -o link show");
    EXPECT_EQ(inside.status, 0) << inside.output;
    EXPECT_EQ(testing::count_occurrences(inside.output, "\n"), 1u) << inside.output;

    auto deleted = delete_netns(name);
    ASSERT_TRUE(deleted) << deleted.error().message;
    EXPECT_FALSE(netns_exists(name));
    EXPECT_EQ(run_command("ip netns list").output.find(name), std::string::npos);
    auto deleted_again = delete_netns(name);
    EXPECT_TRUE(deleted_again) << deleted_again.error().message;
}

TEST_F(NetnsTest, CreateRepairsAFileLeftWithoutItsMount) {
    const std::string name = make_netns("stale");
    ASSERT_TRUE(delete_netns(name));
    // What a creator that died between creating the file and mounting on it leaves behind.
    const int fd = ::open(netns_path(name).c_str(), O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    ASSERT_GE(fd, 0);
    ::close(fd);
    EXPECT_FALSE(netns_exists(name)) << "a bare file is not a namespace";
    auto created = create_netns(name);
    ASSERT_TRUE(created) << created.error().message;
    EXPECT_TRUE(netns_exists(name));
    EXPECT_EQ(run_command("ip netns exec " + name + " true").status, 0);
}

TEST_F(NetnsTest, RejectsNamesOutsideRunNetns) {
    EXPECT_FALSE(create_netns("../escape"));
    EXPECT_FALSE(create_netns(""));
    EXPECT_FALSE(delete_netns("a/b"));
}

TEST_F(NetnsTest, InNetnsRunsInsideAndReturns) {
    const std::string ns = make_netns("enter");
    const ino_t original = current_thread_netns();
    const ino_t target = inode_of(netns_path(ns));
    ASSERT_NE(target, 0u);
    ASSERT_NE(original, target);

    ino_t seen = 0;
    auto ran = in_netns(ns, [&]() -> Result<void> {
        seen = current_thread_netns();
        return {};
    });
    ASSERT_TRUE(ran) << ran.error().message;
    EXPECT_EQ(seen, target);
    EXPECT_EQ(current_thread_netns(), original);

    // A device made in ns is listed there and not here.
    auto veth = add_veth(ns, "octin0", ns, "octin1", "", 0);
    ASSERT_TRUE(veth) << veth.error().message;
    EXPECT_TRUE(has_link(list_links(ns), "octin0"));
    EXPECT_FALSE(has_link(list_links(""), "octin0"));
    const auto shown = run_command("ip netns exec " + ns + " ip -o link show octin0");
    EXPECT_EQ(shown.status, 0) << shown.output;
}

TEST_F(NetnsTest, InNetnsReturnsAfterErrorsAndExceptions) {
    const std::string ns = make_netns("throw");
    const ino_t original = current_thread_netns();
    auto failed = in_netns(ns, []() -> Result<void> { return make_error("fn failed"); });
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "fn failed");
    EXPECT_EQ(current_thread_netns(), original);

    EXPECT_THROW((void)in_netns(ns, []() -> Result<void> { throw std::runtime_error("inside"); }),
                 std::runtime_error);
    EXPECT_EQ(current_thread_netns(), original);
}

TEST_F(NetnsTest, InNetnsOfMissingNamespaceNamesIt) {
    const std::string missing = unique_netns_name("missing");
    bool called = false;
    auto ran = in_netns(missing, [&]() -> Result<void> {
        called = true;
        return {};
    });
    ASSERT_FALSE(ran);
    EXPECT_FALSE(called);
    EXPECT_NE(ran.error().message.find(missing), std::string::npos) << ran.error().message;
}

TEST_F(NetnsTest, ConcurrentThreadsEachSeeTheirOwnNamespace) {
    const std::string ns[2] = {make_netns("par"), make_netns("par")};
    const std::string device[2] = {"octpar0a", "octpar1a"};
    for (int i = 0; i < 2; ++i) {
        auto veth = add_veth(ns[i], device[i], ns[i], device[i] + "p", "", 0);
        ASSERT_TRUE(veth) << veth.error().message;
    }
    const ino_t target[2] = {inode_of(netns_path(ns[0])), inode_of(netns_path(ns[1]))};
    std::atomic<int> wrong{0};
    std::atomic<int> rounds{0};
    const auto work = [&](int me) {
        const int other = 1 - me;
        const ino_t home = current_thread_netns();
        for (int i = 0; i < 50; ++i) {
            auto ran = in_netns(ns[me], [&]() -> Result<void> {
                if (current_thread_netns() != target[me]) {
                    ++wrong;
                }
                return {};
            });
            auto links = list_links(ns[me]);
            if (!ran || !has_link(links, device[me]) || has_link(links, device[other]) ||
                current_thread_netns() != home) {
                ++wrong;
            }
            ++rounds;
        }
    };
    std::thread first(work, 0);
    std::thread second(work, 1);
    first.join();
    second.join();
    EXPECT_EQ(rounds.load(), 100);
    EXPECT_EQ(wrong.load(), 0);
}

TEST_F(NetnsTest, SysctlWritesOnlyInsideTheNamespace) {
    const std::string ns = make_netns("sysctl");
    const auto read_inside = [&](const std::string& path) {
        std::string value;
        (void)in_netns(ns, [&]() -> Result<void> {
            std::ifstream(path) >> value;
            return {};
        });
        return value;
    };
    const std::string forward = "/proc/sys/net/ipv4/ip_forward";
    std::string root_before;
    std::ifstream(forward) >> root_before;
    const std::string ns_before = read_inside(forward);
    const std::string wanted = ns_before == "1" ? "0" : "1";

    auto set = sysctl(ns, "net.ipv4.ip_forward", wanted);
    ASSERT_TRUE(set) << set.error().message;
    EXPECT_EQ(read_inside(forward), wanted);
    const auto shown = run_command("ip netns exec " + ns + " cat " + forward);
    EXPECT_EQ(shown.output, wanted + "\n");
    std::string root_after;
    std::ifstream(forward) >> root_after;
    EXPECT_EQ(root_after, root_before);

    auto bad = sysctl(ns, "net.ipv4.no_such_key", "1");
    ASSERT_FALSE(bad);
    EXPECT_NE(bad.error().message.find(ns), std::string::npos) << bad.error().message;
    EXPECT_FALSE(sysctl(ns, "../../etc/passwd", "x"));
}

TEST_F(NetnsTest, ProcessesInNetnsListsAProcessStartedThere) {
    const std::string ns = make_netns("procs");
    const std::string path = netns_path(ns);
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0 || ::setns(fd, CLONE_NEWNET) != 0) {
            ::_exit(127);
        }
        ::execl("/bin/sleep", "sleep", "30", static_cast<char*>(nullptr));
        ::_exit(127);
    }
    const auto listed = [&] {
        const auto pids = processes_in_netns(ns);
        return std::find(pids.begin(), pids.end(), child) != pids.end();
    };
    // The child enters the namespace after fork; wait for it, bounded.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    bool seen = listed();
    while (!seen && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        seen = listed();
    }
    EXPECT_TRUE(seen);
    EXPECT_TRUE(processes_in_netns(unique_netns_name("none")).empty());
    const auto own = processes_in_netns("");
    EXPECT_NE(std::find(own.begin(), own.end(), ::getpid()), own.end());
    EXPECT_EQ(std::find(own.begin(), own.end(), child), own.end());

    ASSERT_EQ(::kill(child, SIGKILL), 0);
    int status = 0;
    ASSERT_EQ(::waitpid(child, &status, 0), child);
    EXPECT_TRUE(WIFSIGNALED(status));
    EXPECT_FALSE(listed());
}

TEST_F(NetnsTest, CountersCountNetlinkRequests) {
    const std::string ns = make_netns("count");
    const NetCounters before = counters();
    auto links = list_links(ns);
    ASSERT_TRUE(links) << links.error().message;
    const NetCounters after = counters();
    EXPECT_EQ(after.netlink_requests, before.netlink_requests + 1);  // one link dump
    EXPECT_EQ(after.nft_transactions, before.nft_transactions);
    auto veth = add_veth(ns, "octcnt0", ns, "octcnt1", "", 0);
    ASSERT_TRUE(veth) << veth.error().message;
    EXPECT_GT(counters().netlink_requests, after.netlink_requests);
}

}  // namespace
}  // namespace octane::net
