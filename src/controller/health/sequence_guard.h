#pragma once

// Drops replayed and reordered heartbeats: per amphora, `seq` must grow. Octavia itself does not
// check `seq`; we do because a captured datagram keeps a valid HMAC forever. An agent that
// restarts starts again at 0/1, which is accepted as a restart (the rejected alternative, "always
// strictly increasing", would starve a restarted agent until the health manager fails it over).
// Limit: a replayed first datagram (seq 0/1) passes as a restart; closing that needs a per-boot
// nonce in the payload, which Octavia's v3 format does not carry.
// Not thread-safe: owned by the heartbeat receiver's thread.

#include <cstdint>
#include <string>
#include <unordered_map>

namespace octane::controller::health {

class SequenceGuard {
  public:
    enum class Verdict { kAccept, kRestart, kReplay };

    // Accept (and remember) seq when it is the first from this amphora or larger than the last
    // accepted one; kRestart when seq <= kRestartSeq after a larger one; kReplay otherwise.
    Verdict check(const std::string& amphora_id, int64_t seq);
    // Forget an amphora (deleted or failed over).
    void forget(const std::string& amphora_id);
    // Whether a seq of this amphora was seen since start (if not, the caller may seed the guard
    // with the last seq it stored, so a restart of the receiver does not reopen replays).
    bool knows(const std::string& amphora_id) const { return last_seq_.count(amphora_id) > 0; }

    static constexpr int64_t kRestartSeq = 1;

  private:
    std::unordered_map<std::string, int64_t> last_seq_;
};

}  // namespace octane::controller::health
