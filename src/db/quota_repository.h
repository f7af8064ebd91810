#pragma once

// The quotas table (Octavia's QuotasRepository): one row per project that set limits or was
// checked against them; attrs holds only what the project set (the defaults fill the rest).

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "db/database.h"

namespace octane::db {

class QuotaRepository {
  public:
    explicit QuotaRepository(Database& db) : db_(db) {}

    // The project's stored limits; nullopt when it has no row.
    Result<std::optional<nlohmann::json>> get(const std::string& project_id);
    // Projects with a row, in id order; only project_id's when given.
    Result<std::vector<std::string>> projects(const std::optional<std::string>& project_id);
    // Makes an empty row unless there is one.
    Result<void> ensure(const std::string& project_id);
    // Stores limits, replacing the row's.
    Result<void> save(const std::string& project_id, const nlohmann::json& limits);
    // False when the project had no row.
    Result<bool> remove(const std::string& project_id);

  private:
    Database& db_;
};

}  // namespace octane::db
