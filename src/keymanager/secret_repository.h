#pragma once

// Secrets in km_secrets. The payload never reaches this class in clear: callers hand it sealed.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "db/database.h"
#include "keymanager/project_page.h"

namespace octane::keymanager {

struct SecretRow {
    std::string id;
    std::string project_id;
    std::string creator_id;
    std::string name;
    std::string secret_type;
    std::optional<std::string> algorithm;
    std::optional<int64_t> bit_length;
    std::optional<std::string> mode;
    std::optional<std::string> expiration;
    std::optional<std::string> content_type;  // set with the payload
    std::optional<std::string> sealed;        // SecretCipher output
    std::string created;
    std::string updated;
};

class SecretRepository {
  public:
    explicit SecretRepository(db::Database& db) : db_(db) {}

    Result<void> create(const SecretRow& row);
    Result<std::optional<SecretRow>> get(const std::string& id);
    // The project's secrets, oldest first; name filters exactly when not empty. Also the total.
    Result<std::pair<std::vector<SecretRow>, int64_t>> list(const std::string& project_id,
                                                            const std::string& name, Page page);
    // Adds the payload of a metadata-only secret; false when it already had one.
    Result<bool> set_payload(const std::string& id, const std::string& content_type,
                             const std::string& sealed, const std::string& updated);
    Result<void> remove(const std::string& id);

  private:
    db::Database& db_;
};

}  // namespace octane::keymanager
