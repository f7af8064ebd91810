#pragma once

// The key manager's tables: km_secrets (payloads sealed by SecretCipher, base64), km_containers
// (their secret refs as a JSON array of {name, secret_id}) and km_acls (one "read" ACL per secret
// or container).

#include "common/result.h"
#include "db/database.h"

namespace octane::keymanager {

Result<void> migrate_keymanager(db::Database& db);

}  // namespace octane::keymanager
