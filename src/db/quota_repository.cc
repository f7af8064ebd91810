#include "db/quota_repository.h"

#include "db/result_of.h"

namespace octane::db {

Result<std::optional<nlohmann::json>> QuotaRepository::get(const std::string& project_id) {
    return first_json(db_.query("SELECT attrs FROM quotas WHERE project_id = ?", {project_id}));
}

Result<std::vector<std::string>> QuotaRepository::projects(
    const std::optional<std::string>& project_id) {
    auto rows = project_id
                    ? db_.query("SELECT project_id FROM quotas WHERE project_id = ?", {*project_id})
                    : db_.query("SELECT project_id FROM quotas ORDER BY project_id");
    return first_column_texts(rows);
}

Result<void> QuotaRepository::ensure(const std::string& project_id) {
    return done(
        db_.exec("INSERT INTO quotas (project_id, attrs) VALUES (?, '{}')"
                 " ON CONFLICT (project_id) DO NOTHING",
                 {project_id}));
}

Result<void> QuotaRepository::save(const std::string& project_id, const nlohmann::json& limits) {
    return done(
        db_.exec("INSERT INTO quotas (project_id, attrs) VALUES (?, ?) ON CONFLICT"
                 " (project_id) DO UPDATE SET attrs = excluded.attrs",
                 {project_id, limits.dump()}));
}

Result<bool> QuotaRepository::remove(const std::string& project_id) {
    auto removed = db_.exec("DELETE FROM quotas WHERE project_id = ?", {project_id});
    if (!removed) {
        return Unexpected(removed.error());
    }
    return *removed > 0;
}

}  // namespace octane::db
