#include "wire/peer_name.h"

#include <gtest/gtest.h>

namespace octane::wire {
namespace {

// Values from the corpus' render_context (local_peer_name) and active_standby_source_ip.cfg.
TEST(PeerName, MatchesOctaviaHashAmpId) {
    const std::pair<const char*, const char*> cases[] = {
        {"4e50fb92-e0b8-4042-a8a5-60415cbe7328", "v9KgaxnxpBq-_fjFFjwPxG7C_Ek"},
        {"3fad1d67-3f91-57b6-a0bd-c6e21b59c8ee", "Vo3enMlx0pUVvQMR46wIsZRBwco"},
        {"6d9985a6-3a7b-5434-b06e-876b56b71cc1", "6CfAVCH4XD3LErrGieNBl7upLuc"},
    };
    for (const auto& [id, name] : cases) {
        EXPECT_EQ(peer_name(id), name) << id;
    }
}

}  // namespace
}  // namespace octane::wire
