#pragma once

// What the external-Keystone validator remembers about tokens it asked Keystone about (by digest):
// an accepted token until min(now + token_cache_time, its expires_at), so an expired token is
// never accepted from here; a refused one for invalid_token_cache_time, so repeating a bad token
// does not repeat the call. Accepted and refused tokens are kept apart, each bounded, so a flood
// of garbage tokens cannot push accepted ones out. Pure (time is passed in) and not thread-safe:
// the validator guards it with its mutex.

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

#include "identity/token_validator.h"

namespace octane::identity {

class TokenCache {
  public:
    using Steady = std::chrono::steady_clock::time_point;
    using Wall = std::chrono::system_clock::time_point;

    struct Limits {
        std::chrono::seconds valid_for{300};   // [keystone_authtoken] token_cache_time
        std::chrono::seconds invalid_for{30};  // [keystone_authtoken] invalid_token_cache_time
        size_t max_entries = 4096;             // of each kind
    };

    enum class Verdict { kUnknown, kValid, kInvalid };
    struct Hit {
        Verdict verdict = Verdict::kUnknown;
        Caller caller;  // when kValid
    };

    explicit TokenCache(Limits limits) : limits_(limits) {}

    Hit lookup(const std::string& key, Steady now, Wall wall_now);
    // expires_at: the token's own expiry as Keystone said it.
    void remember_valid(const std::string& key, const Caller& caller, Wall expires_at, Steady now,
                        Wall wall_now);
    void remember_invalid(const std::string& key, Steady now);

    size_t valid_count() const { return valid_.size(); }
    size_t invalid_count() const { return invalid_.size(); }

  private:
    struct Valid {
        Caller caller;
        Steady until;
        Wall expires_at;  // checked too, in case the wall clock jumps ahead
    };
    Limits limits_;
    std::map<std::string, Valid> valid_;
    std::map<std::string, Steady> invalid_;
};

}  // namespace octane::identity
