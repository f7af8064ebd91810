#include "keymanager/acl_repository.h"

#include <nlohmann/json.hpp>

namespace octane::keymanager {

Result<AclRow> AclRepository::get(const std::string& entity_id) {
    auto rows =
        db_.query("SELECT project_access, users, created, updated FROM km_acls WHERE entity_id = ?",
                  {entity_id});
    if (!rows) {
        return Unexpected(rows.error());
    }
    AclRow out;
    if (rows->empty()) {
        return out;
    }
    const auto& r = rows->front();
    out.acl.exists = true;
    out.acl.project_access = r.integer(0) != 0;
    out.acl.users = nlohmann::json::parse(r.text(1)).get<std::vector<std::string>>();
    out.created = r.text(2);
    out.updated = r.text(3);
    return out;
}

Result<void> AclRepository::put(const std::string& entity_id, const Acl& acl,
                                const std::string& now) {
    return db_.transaction([&]() -> Result<void> {
        const std::string users = nlohmann::json(acl.users).dump();
        auto changed = db_.exec(
            "UPDATE km_acls SET project_access = ?, users = ?, updated = ? WHERE entity_id = ?",
            {int64_t{acl.project_access}, users, now, entity_id});
        if (!changed) {
            return Unexpected(changed.error());
        }
        if (*changed > 0) {
            return {};
        }
        auto inserted = db_.exec(
            "INSERT INTO km_acls (entity_id, project_access, users, created, updated) VALUES (?,"
            " ?, ?, ?, ?)",
            {entity_id, int64_t{acl.project_access}, users, now, now});
        if (!inserted) {
            return Unexpected(inserted.error());
        }
        return {};
    });
}

Result<void> AclRepository::remove(const std::string& entity_id) {
    if (auto changed = db_.exec("DELETE FROM km_acls WHERE entity_id = ?", {entity_id}); !changed) {
        return Unexpected(changed.error());
    }
    return {};
}

}  // namespace octane::keymanager
