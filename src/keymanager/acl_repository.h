#pragma once

// The "read" ACL of a secret or a container (ids are UUIDs, so one table serves both).

#include <string>

#include "common/result.h"
#include "db/database.h"
#include "keymanager/barbican_rules.h"

namespace octane::keymanager {

struct AclRow {
    Acl acl;  // exists == false: none set
    std::string created;
    std::string updated;
};

class AclRepository {
  public:
    explicit AclRepository(db::Database& db) : db_(db) {}

    Result<AclRow> get(const std::string& entity_id);
    Result<void> put(const std::string& entity_id, const Acl& acl, const std::string& now);
    Result<void> remove(const std::string& entity_id);

  private:
    db::Database& db_;
};

}  // namespace octane::keymanager
