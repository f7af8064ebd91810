#pragma once

// Network segments (Neutron's ML2 type drivers): a tenant network is a VXLAN segment with a VNI
// from the configured range, an external network is flat on the one physical network
// `provider`. The allocation is a row per network whose UNIQUE vni is the "never twice" guarantee.

#include <cstdint>
#include <string>

#include "common/result.h"
#include "db/database.h"

namespace octane::linuxbridge {

struct Segment {
    std::string network_id;
    bool flat = false;  // flat on the physical network; else VXLAN
    uint32_t vni = 0;   // VXLAN only
};

struct VniRange {
    uint32_t first = 1;
    uint32_t last = 1000;
};

class SegmentStore {
  public:
    explicit SegmentStore(db::Database& db) : db_(db) {}
    Result<void> migrate();
    // The network's segment, allocated on first use (lowest free VNI of the range).
    Result<Segment> segment_of(const std::string& network_id, bool external, const VniRange& range);
    Result<void> release(const std::string& network_id);
    // Networks that have a segment row (to find segments of networks since deleted).
    Result<std::vector<Segment>> all();

  private:
    db::Database& db_;
};

}  // namespace octane::linuxbridge
