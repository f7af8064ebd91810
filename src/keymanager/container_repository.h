#pragma once

// Containers in km_containers; their secret refs are kept as secret ids, made into hrefs at the
// edge.

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "db/database.h"
#include "keymanager/barbican_rules.h"
#include "keymanager/secret_repository.h"

namespace octane::keymanager {

struct ContainerRow {
    std::string id;
    std::string project_id;
    std::string creator_id;
    std::string name;
    std::string type;
    std::vector<SecretRefName> secret_refs;
    std::string created;
    std::string updated;
};

class ContainerRepository {
  public:
    explicit ContainerRepository(db::Database& db) : db_(db) {}

    Result<void> create(const ContainerRow& row);
    Result<std::optional<ContainerRow>> get(const std::string& id);
    Result<std::pair<std::vector<ContainerRow>, int64_t>> list(const std::string& project_id,
                                                               const std::string& name, Page page);
    Result<void> remove(const std::string& id);

  private:
    db::Database& db_;
};

}  // namespace octane::keymanager
