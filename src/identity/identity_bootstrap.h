#pragma once

// First start of the built-in identity: the default roles, project `admin`, user `admin` (role
// admin) with a generated password, and <state dir>/admin-openrc (mode 0600) for the CLI. Later
// starts keep the password and only rewrite OS_AUTH_URL (the port may change).

#include <string>

#include "identity/identity_store.h"

namespace octane::identity {

// auth_url: e.g. http://127.0.0.1:9876/identity/v3
Result<void> bootstrap_identity(IdentityStore& store, const std::string& state_dir,
                                const std::string& auth_url);

}  // namespace octane::identity
