#pragma once

// Octavia's status words, verbatim (octavia-lib constants).

#include <string_view>

namespace octane::model {

inline constexpr const char* kActive = "ACTIVE";
inline constexpr const char* kPendingCreate = "PENDING_CREATE";
inline constexpr const char* kPendingUpdate = "PENDING_UPDATE";
inline constexpr const char* kPendingDelete = "PENDING_DELETE";
inline constexpr const char* kDeleted = "DELETED";
inline constexpr const char* kError = "ERROR";

inline constexpr const char* kOnline = "ONLINE";
inline constexpr const char* kOffline = "OFFLINE";
inline constexpr const char* kDegraded = "DEGRADED";
inline constexpr const char* kDraining = "DRAINING";
inline constexpr const char* kNoMonitor = "NO_MONITOR";

// Amphora lifecycle.
inline constexpr const char* kAllocated = "ALLOCATED";
inline constexpr const char* kBooting = "BOOTING";
inline constexpr const char* kReady = "READY";

inline bool is_pending(const std::string_view status) {
    return status == kPendingCreate || status == kPendingUpdate || status == kPendingDelete;
}

}  // namespace octane::model
