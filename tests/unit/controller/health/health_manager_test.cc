// The health manager in-process, over real UDP on 127.0.0.1 (port 0) and an in-memory database.

#include "controller/health/health_manager.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "health_fixture.h"
#include "wire/heartbeat_envelope.h"

namespace octane::controller::health {
namespace {

using namespace std::chrono_literals;

using testing::HealthDbTest;

constexpr const char* kKey = "manager-key";

// Polls cond every 10 ms until it holds or 5 s passed.
bool eventually(const std::function<bool()>& cond) {
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (std::chrono::steady_clock::now() < deadline) {
        if (cond()) {
            return true;
        }
        std::this_thread::sleep_for(10ms);
    }
    return cond();
}

std::string read_file(const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

class HealthManagerTest : public HealthDbTest {
  protected:
    void SetUp() override {
        HealthDbTest::SetUp();
        char pattern[] = "/tmp/octane-health-XXXXXX";
        ASSERT_NE(mkdtemp(pattern), nullptr);
        dir_ = pattern;
        HealthManagerOptions options;
        options.bind_port = 0;
        options.heartbeat_key = kKey;
        options.heartbeat_timeout = 3s;
        options.check_interval = 3600s;  // the test runs the checks itself
        options.max_datagram = 1024;
        options.state_dir = dir_;
        manager_ = std::make_unique<HealthManager>(*db_, clock_, options, [this] { ++notified_; });
        auto started = manager_->start();
        ASSERT_TRUE(started) << started.error().message;
        sender_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        ASSERT_GE(sender_, 0);
    }
    void TearDown() override {
        manager_.reset();
        close(sender_);
        std::filesystem::remove_all(dir_);
        HealthDbTest::TearDown();
    }
    void send(const std::string& datagram) {
        sockaddr_in to{};
        to.sin_family = AF_INET;
        to.sin_port = htons(manager_->port());
        inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
        ASSERT_EQ(sendto(sender_, datagram.data(), datagram.size(), 0,
                         reinterpret_cast<sockaddr*>(&to), sizeof to),
                  static_cast<ssize_t>(datagram.size()));
    }
    uint64_t count(Counter c) { return manager_->counters().get(c); }

    std::string dir_;
    std::unique_ptr<HealthManager> manager_;
    std::atomic<int> notified_{0};
    int sender_ = -1;
};

TEST_F(HealthManagerTest, PortFileNamesTheBoundPort) {
    ASSERT_NE(manager_->port(), 0);
    EXPECT_EQ(read_file(dir_ + "/health.port"), std::to_string(manager_->port()) + "\n");
}

TEST_F(HealthManagerTest, HeartbeatsOverUdpUpdateTheDatabase) {
    send(wire::encode_heartbeat(beat(1, "UP", "DOWN"), kKey));
    ASSERT_TRUE(eventually([&] { return count(Counter::kAccepted) == 1; }));
    EXPECT_EQ(operating("members", "m2"), "ERROR");
    EXPECT_EQ(operating("pools", "p1"), "DEGRADED");
    EXPECT_EQ(operating("load_balancers", "lb"), "DEGRADED");
}

TEST_F(HealthManagerTest, BadDatagramsAreCountedAndChangeNothing) {
    std::string good = wire::encode_heartbeat(beat(1, "DOWN", "DOWN"), kKey);
    send(wire::encode_heartbeat(beat(1, "DOWN", "DOWN"), "forged"));
    send(good.substr(0, 16));
    send(std::string(2000, 'x'));  // over this manager's 1024-byte limit
    send(good.substr(0, good.size() - 1));
    ASSERT_TRUE(eventually([&] { return count(Counter::kReceived) == 4; }));
    EXPECT_EQ(count(Counter::kBadHmac), 2u);
    EXPECT_EQ(count(Counter::kTruncated), 1u);
    EXPECT_EQ(count(Counter::kOversized), 1u);
    EXPECT_EQ(count(Counter::kAccepted), 0u);
    EXPECT_EQ(operating("members", "m1"), "OFFLINE");
    manager_->check_now();  // publishes the counters file
    auto file = nlohmann::json::parse(read_file(dir_ + "/health-counters.json"));
    EXPECT_EQ(file["received"], 4);
    EXPECT_EQ(file["dropped"]["bad_hmac"], 2);
    EXPECT_EQ(file["dropped"]["oversized"], 1);
    EXPECT_EQ(file["dropped"]["truncated"], 1);
    EXPECT_TRUE(file.contains("updated_at"));
}

TEST_F(HealthManagerTest, SilenceLeadsToAFailoverRequest) {
    send(wire::encode_heartbeat(beat(1), kKey));
    ASSERT_TRUE(eventually([&] { return count(Counter::kAccepted) == 1; }));
    clock_.advance(2s);
    manager_->check_now();
    EXPECT_EQ(count(Counter::kFailovers), 0u);
    clock_.advance(2s);
    manager_->check_now();
    EXPECT_EQ(count(Counter::kFailovers), 1u);
    EXPECT_EQ(notified_.load(), 1);
    EXPECT_EQ(cell("SELECT provisioning_status FROM load_balancers WHERE id = 'lb'"),
              "PENDING_UPDATE");
    EXPECT_EQ(cell("SELECT amphora_id FROM failover_requests"), "amp");
}

TEST_F(HealthManagerTest, StopWritesTheFinalCounters) {
    send("short");
    ASSERT_TRUE(eventually([&] { return count(Counter::kTruncated) == 1; }));
    manager_->stop();
    manager_->stop();  // idempotent
    auto file = nlohmann::json::parse(read_file(dir_ + "/health-counters.json"));
    EXPECT_EQ(file["dropped"]["truncated"], 1);
}

TEST_F(HealthManagerTest, SecondManagerOnTheSamePortFails) {
    HealthManagerOptions options;
    options.bind_port = manager_->port();
    options.heartbeat_key = kKey;
    HealthManager second(*db_, clock_, options, {});
    auto started = second.start();
    ASSERT_FALSE(started);
    EXPECT_NE(started.error().message.find("cannot bind"), std::string::npos)
        << started.error().message;
}

TEST_F(HealthManagerTest, EmptyKeyIsRefused) {
    HealthManagerOptions options;
    options.bind_port = 0;
    HealthManager keyless(*db_, clock_, options, {});
    EXPECT_FALSE(keyless.start());
}

// Heartbeats that arrive within the batch window are handled in one batch (one transaction in
// the health manager), not one wake-up and commit each.
TEST(HeartbeatReceiverTest, DatagramsWithinTheWindowAreHandledInOneBatch) {
    auto receiver = HeartbeatReceiver::open("127.0.0.1", 0, 1024);
    ASSERT_TRUE(receiver);
    std::atomic<int> handled{0};
    std::atomic<int> batches{0};
    (*receiver)->start([&](std::string_view, size_t, const std::string&) { handled++; },
                       [&](const std::function<void()>& drain) {
                           batches++;
                           drain();
                       },
                       300ms);
    int sender = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(sender, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons((*receiver)->port());
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    for (int i = 0; i < 5; ++i) {
        ASSERT_EQ(sendto(sender, "beat", 4, 0, reinterpret_cast<const sockaddr*>(&to), sizeof to),
                  4);
        if (i == 0) {
            // Spaced as heartbeats of different amphorae are: without a window, the first one
            // would be a batch of its own.
            std::this_thread::sleep_for(50ms);
        }
    }
    close(sender);
    EXPECT_TRUE(eventually([&] { return handled.load() == 5; }));
    EXPECT_EQ(batches.load(), 1);
    (*receiver)->stop();
}

}  // namespace
}  // namespace octane::controller::health
