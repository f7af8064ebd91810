#include "identity/token_cache.h"

#include <algorithm>

namespace octane::identity {
namespace {

// Full: drop what has run out; if nothing has, start over rather than grow.
template <typename Map, typename Expired>
void make_room(Map& map, size_t max_entries, Expired expired) {
    if (map.size() < max_entries) {
        return;
    }
    std::erase_if(map, [&](const auto& entry) { return expired(entry.second); });
    if (map.size() >= max_entries) {
        map.clear();
    }
}

}  // namespace

TokenCache::Hit TokenCache::lookup(const std::string& key, Steady now, Wall wall_now) {
    if (auto it = valid_.find(key); it != valid_.end()) {
        if (now < it->second.until && wall_now < it->second.expires_at) {
            return {Verdict::kValid, it->second.caller};
        }
        valid_.erase(it);
    }
    if (auto it = invalid_.find(key); it != invalid_.end()) {
        if (now < it->second) {
            return {Verdict::kInvalid, {}};
        }
        invalid_.erase(it);
    }
    return {};
}

void TokenCache::remember_valid(const std::string& key, const Caller& caller, Wall expires_at,
                                Steady now, Wall wall_now) {
    if (expires_at <= wall_now || limits_.valid_for.count() <= 0) {
        return;
    }
    auto left = std::chrono::duration_cast<Steady::duration>(expires_at - wall_now);
    Steady until = now + std::min<Steady::duration>(limits_.valid_for, left);
    make_room(valid_, limits_.max_entries,
              [&](const Valid& v) { return v.until <= now || v.expires_at <= wall_now; });
    invalid_.erase(key);
    valid_[key] = {caller, until, expires_at};
}

void TokenCache::remember_invalid(const std::string& key, Steady now) {
    if (limits_.invalid_for.count() <= 0) {
        return;
    }
    make_room(invalid_, limits_.max_entries, [&](Steady until) { return until <= now; });
    valid_.erase(key);
    invalid_[key] = now + limits_.invalid_for;
}

}  // namespace octane::identity
