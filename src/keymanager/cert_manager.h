#pragma once

// Octavia's cert manager over the built-in key manager: reads secrets and certificate containers
// straight from the database (same process or another over the same database and state dir),
// with the caller's rights under Barbican's policy, as Octavia reads them with the caller's token.

#include <string>

#include "common/result.h"
#include "db/database.h"
#include "keymanager/acl_repository.h"
#include "keymanager/barbican_rules.h"
#include "keymanager/container_repository.h"
#include "keymanager/secret_cipher.h"
#include "keymanager/secret_repository.h"
#include "keymanager/tls_bundle.h"

namespace octane::keymanager {

class CertManager {
  public:
    CertManager(db::Database& db, SecretCipher cipher)
        : secrets_(db), containers_(db), acls_(db), cipher_(std::move(cipher)) {}

    // The payload of the secret a ref names (".../secrets/<id>", or the id alone).
    Result<std::string> get_secret(const Subject& subject, const std::string& ref);
    // A PKCS12 secret (Error::code kUnreadablePkcs12 when it is no such bundle) or, as Octavia's
    // fallback to its legacy manager, a certificate container.
    Result<TlsBundle> get_cert(const Subject& subject, const std::string& ref);

    // The worker's read (Octavia's service credentials): a project's material by ref, bundle =
    // true as the PEM file of a certificate (certificate, intermediates, key), false as stored.
    Result<std::string> project_material(const std::string& project_id, const std::string& ref,
                                         bool bundle);

  private:
    Result<std::string> readable_payload(const Subject& subject, const std::string& id);

    SecretRepository secrets_;
    ContainerRepository containers_;
    AclRepository acls_;
    SecretCipher cipher_;
};

}  // namespace octane::keymanager
