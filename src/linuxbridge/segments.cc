#include "linuxbridge/segments.h"

namespace octane::linuxbridge {

Result<void> SegmentStore::migrate() {
    auto done = db_.exec(
        "CREATE TABLE IF NOT EXISTS lb_network_segments (network_id TEXT PRIMARY KEY,"
        " network_type TEXT NOT NULL, segmentation_id BIGINT UNIQUE)",
        {});
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

Result<Segment> SegmentStore::segment_of(const std::string& network_id, bool external,
                                         const VniRange& range) {
    Segment segment;
    segment.network_id = network_id;
    auto done = db_.transaction([&]() -> Result<void> {
        auto rows = db_.query(
            "SELECT network_type, segmentation_id FROM lb_network_segments WHERE network_id = ?",
            {network_id});
        if (!rows) {
            return Unexpected(rows.error());
        }
        if (!rows->empty()) {
            segment.flat = (*rows)[0].text(0) == "flat";
            segment.vni = (*rows)[0].is_null(1) ? 0 : static_cast<uint32_t>((*rows)[0].integer(1));
            return {};
        }
        if (external) {
            segment.flat = true;
            auto inserted = db_.exec(
                "INSERT INTO lb_network_segments (network_id, network_type, segmentation_id)"
                " VALUES (?, 'flat', NULL)",
                {network_id});
            return inserted ? Result<void>() : Result<void>(Unexpected(inserted.error()));
        }
        auto used = db_.query(
            "SELECT segmentation_id FROM lb_network_segments WHERE segmentation_id IS NOT NULL"
            " ORDER BY segmentation_id",
            {});
        if (!used) {
            return Unexpected(used.error());
        }
        uint32_t candidate = range.first;
        for (const auto& row : *used) {
            auto vni = static_cast<uint32_t>(row.integer(0));
            if (vni < candidate) {
                continue;
            }
            if (vni != candidate) {
                break;
            }
            ++candidate;
        }
        if (candidate > range.last || candidate < range.first) {
            return make_error("no free VXLAN VNI in " + std::to_string(range.first) + ":" +
                              std::to_string(range.last));
        }
        segment.vni = candidate;
        auto inserted = db_.exec(
            "INSERT INTO lb_network_segments (network_id, network_type, segmentation_id)"
            " VALUES (?, 'vxlan', ?)",
            {network_id, static_cast<int64_t>(candidate)});
        return inserted ? Result<void>() : Result<void>(Unexpected(inserted.error()));
    });
    if (!done) {
        return Unexpected(done.error());
    }
    return segment;
}

Result<void> SegmentStore::release(const std::string& network_id) {
    auto done = db_.exec("DELETE FROM lb_network_segments WHERE network_id = ?", {network_id});
    if (!done) {
        return Unexpected(done.error());
    }
    return {};
}

Result<std::vector<Segment>> SegmentStore::all() {
    auto rows =
        db_.query("SELECT network_id, network_type, segmentation_id FROM lb_network_segments", {});
    if (!rows) {
        return Unexpected(rows.error());
    }
    std::vector<Segment> out;
    for (const auto& row : *rows) {
        out.push_back({row.text(0), row.text(1) == "flat",
                       row.is_null(2) ? 0u : static_cast<uint32_t>(row.integer(2))});
    }
    return out;
}

}  // namespace octane::linuxbridge
