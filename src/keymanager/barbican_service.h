#pragma once

// The Barbican v1 subset served under /key-manager: secrets (payloads sealed at rest), containers
// (generic, certificate, rsa) and their "read" ACLs, with Barbican's default policy, per-project
// lists, its refs (<base>/key-manager/v1/secrets/<id>) and its fault body.

#include <functional>
#include <string>

#include "common/clock.h"
#include "db/database.h"
#include "http/http_message.h"
#include "identity/token_validator.h"
#include "keymanager/acl_repository.h"
#include "keymanager/container_repository.h"
#include "keymanager/secret_cipher.h"
#include "keymanager/secret_repository.h"

namespace octane::keymanager {

using Authenticator =
    std::function<Result<identity::Caller, http::HttpResponse>(const http::HttpRequest&)>;

class BarbicanService {
  public:
    BarbicanService(db::Database& db, SecretCipher cipher, const Clock& clock,
                    Authenticator authenticate, std::string public_base)
        : secrets_(db),
          containers_(db),
          acls_(db),
          cipher_(std::move(cipher)),
          clock_(clock),
          authenticate_(std::move(authenticate)),
          public_base_(std::move(public_base)) {}

    http::HttpResponse handle(const http::HttpRequest& request);

  private:
    struct Call;

    http::HttpResponse create_secret(Call& call);
    http::HttpResponse list_secrets(Call& call);
    http::HttpResponse secret(Call& call, const std::string& id, const std::string& sub);
    http::HttpResponse create_container(Call& call);
    http::HttpResponse list_containers(Call& call);
    http::HttpResponse container(Call& call, const std::string& id, const std::string& sub);
    // /v1/{secrets,containers}/{id}/acl
    http::HttpResponse acl(Call& call, const std::string& id, bool is_container,
                           const Target& target);

    std::string now() const { return format_timestamp(clock_.now()); }

    SecretRepository secrets_;
    ContainerRepository containers_;
    AclRepository acls_;
    SecretCipher cipher_;
    const Clock& clock_;
    Authenticator authenticate_;
    std::string public_base_;
};

}  // namespace octane::keymanager
