// Datagram -> counter: every bad datagram is dropped before the database and counted once.

#include "controller/health/heartbeat_processor.h"

#include <cstring>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "health_fixture.h"
#include "wire/heartbeat_envelope.h"

namespace octane::controller::health {
namespace {

using namespace std::chrono_literals;

using testing::HealthDbTest;

constexpr const char* kKey = "test-key";

// payload + its hex HMAC-SHA256 under kKey: a datagram whose digest verifies.
std::string sign(const std::string& payload) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), kKey, static_cast<int>(std::strlen(kKey)),
         reinterpret_cast<const unsigned char*>(payload.data()), payload.size(), digest, &len);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out = payload;
    for (unsigned int i = 0; i < len; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xf];
    }
    return out;
}

class HeartbeatProcessorTest : public HealthDbTest {
  protected:
    void SetUp() override {
        HealthDbTest::SetUp();
        store_ = std::make_unique<HeartbeatStore>(*db_);
        processor_ = std::make_unique<HeartbeatProcessor>(*store_, counters_, clock_, kKey, 4096);
    }
    Counter send(const std::string& datagram) { return processor_->handle(datagram); }
    Counter send(const wire::Heartbeat& hb) { return send(wire::encode_heartbeat(hb, kKey)); }

    HealthCounters counters_;
    std::unique_ptr<HeartbeatStore> store_;
    std::unique_ptr<HeartbeatProcessor> processor_;
};

TEST_F(HeartbeatProcessorTest, BadDatagramsAreDroppedAndCounted) {
    std::string good = wire::encode_heartbeat(beat(1, "DOWN", "DOWN"), kKey);
    std::string flipped = good;
    flipped[3] = static_cast<char>(flipped[3] ^ 0x55);
    struct Case {
        const char* name;
        std::string datagram;
        Counter expected;
    };
    const Case cases[] = {
        {"forged key", wire::encode_heartbeat(beat(1, "DOWN", "DOWN"), "other-key"),
         Counter::kBadHmac},
        {"flipped byte", flipped, Counter::kBadHmac},
        {"cut short", good.substr(0, good.size() / 2), Counter::kBadHmac},
        {"truncated", good.substr(0, 20), Counter::kTruncated},
        {"empty", "", Counter::kTruncated},
        {"oversized", std::string(4097, 'x'), Counter::kOversized},
        {"bad json", "", Counter::kBadJson},
        {"bad version", "", Counter::kBadVersion},
        {"bad schema", "", Counter::kBadSchema},
    };
    for (const Case& c : cases) {
        std::string datagram = c.datagram;
        if (c.expected == Counter::kBadJson) {
            datagram = wire::seal_envelope("{not json", kKey);
        } else if (c.expected == Counter::kBadVersion) {
            datagram = wire::seal_envelope(R"({"id": "amp", "seq": 1, "ver": 9})", kKey);
        } else if (c.expected == Counter::kBadSchema) {
            datagram = wire::seal_envelope(R"({"id": 5, "seq": 1, "ver": 3})", kKey);
        }
        EXPECT_EQ(send(datagram), c.expected) << c.name;
    }
    EXPECT_EQ(counters_.get(Counter::kReceived), std::size(cases));
    EXPECT_EQ(counters_.get(Counter::kBadHmac), 3u);
    EXPECT_EQ(counters_.get(Counter::kAccepted), 0u);
    EXPECT_EQ(operating("members", "m1"), "OFFLINE");
    EXPECT_EQ(cell("SELECT COUNT(*) FROM amphora_health"), "0");
}

TEST_F(HeartbeatProcessorTest, SignedGarbageIsBadZlib) {
    EXPECT_EQ(send(sign("definitely not zlib")), Counter::kBadZlib);
    std::string sealed = wire::seal_envelope(R"({"id": "amp", "seq": 1, "ver": 3})", kKey);
    std::string stream = sealed.substr(0, sealed.size() - 64);
    EXPECT_EQ(send(sign(stream.substr(0, stream.size() - 3))), Counter::kBadZlib);  // cut stream
    EXPECT_EQ(counters_.get(Counter::kBadZlib), 2u);
}

TEST_F(HeartbeatProcessorTest, AcceptedHeartbeatReachesTheDatabase) {
    EXPECT_EQ(send(beat(1, "UP", "DOWN")), Counter::kAccepted);
    EXPECT_EQ(operating("members", "m2"), "ERROR");
    EXPECT_EQ(counters_.get(Counter::kAccepted), 1u);
}

TEST_F(HeartbeatProcessorTest, ReplayedAndReorderedAreDropped) {
    EXPECT_EQ(send(beat(5)), Counter::kAccepted);
    EXPECT_EQ(send(beat(5, "DOWN", "DOWN")), Counter::kReplayed);  // the same seq again
    EXPECT_EQ(send(beat(4, "DOWN", "DOWN")), Counter::kReplayed);  // an older one
    EXPECT_EQ(operating("members", "m1"), "ONLINE");
    EXPECT_EQ(send(beat(6)), Counter::kAccepted);
    EXPECT_EQ(counters_.get(Counter::kReplayed), 2u);
}

TEST_F(HeartbeatProcessorTest, AgentRestartIsAccepted) {
    EXPECT_EQ(send(beat(10)), Counter::kAccepted);
    EXPECT_EQ(send(beat(1, "DOWN", "UP")), Counter::kAccepted);
    EXPECT_EQ(counters_.get(Counter::kRestarts), 1u);
    EXPECT_EQ(operating("members", "m1"), "ERROR");
}

TEST_F(HeartbeatProcessorTest, GuardIsSeededFromTheStoredSeq) {
    EXPECT_EQ(send(beat(7)), Counter::kAccepted);
    // A new processor (a restarted health manager) still refuses the old datagrams.
    HealthCounters fresh;
    HeartbeatProcessor restarted(*store_, fresh, clock_, kKey);
    EXPECT_EQ(restarted.handle(wire::encode_heartbeat(beat(6), kKey)), Counter::kReplayed);
    EXPECT_EQ(restarted.handle(wire::encode_heartbeat(beat(8), kKey)), Counter::kAccepted);
}

TEST_F(HeartbeatProcessorTest, UnknownAmphoraIsIgnored) {
    wire::Heartbeat hb = beat(1);
    hb.amphora_id = "stranger";
    EXPECT_EQ(send(hb), Counter::kUnknownAmphora);
    EXPECT_EQ(counters_.get(Counter::kUnknownAmphora), 1u);
    EXPECT_EQ(cell("SELECT COUNT(*) FROM amphora_stats"), "0");
}

TEST_F(HeartbeatProcessorTest, TruncatedBySocketIsOversized) {
    std::string good = wire::encode_heartbeat(beat(1), kKey);
    EXPECT_EQ(processor_->handle(good, good.size() + 10), Counter::kOversized);
}

}  // namespace
}  // namespace octane::controller::health
