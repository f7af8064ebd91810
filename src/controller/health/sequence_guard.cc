#include "controller/health/sequence_guard.h"

namespace octane::controller::health {

SequenceGuard::Verdict SequenceGuard::check(const std::string& amphora_id, int64_t seq) {
    auto [it, inserted] = last_seq_.try_emplace(amphora_id, seq);
    if (inserted || seq > it->second) {
        it->second = seq;
        return Verdict::kAccept;
    }
    if (seq <= kRestartSeq && it->second > kRestartSeq) {
        it->second = seq;
        return Verdict::kRestart;
    }
    return Verdict::kReplay;
}

void SequenceGuard::forget(const std::string& amphora_id) {
    last_seq_.erase(amphora_id);
}

}  // namespace octane::controller::health
