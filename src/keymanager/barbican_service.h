#pragma once

// The Barbican v1 subset served under /key-manager: secrets (payloads sealed at rest), containers
// (generic, certificate, rsa) and their "read" ACLs, with Barbican's default policy, per-project
// lists, its refs (<base>/key-manager/v1/secrets/<id>) and its fault body.

#include <functional>
#include <string>

#include "common/clock.h"
#include "db/database.h"
#include "http/http_message.h"
#include "http/router.h"
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
                    Authenticator authenticate, std::string public_base);

    http::HttpResponse handle(const http::HttpRequest& request);

  private:
    http::HttpResponse answer(const http::HttpRequest& request);
    struct Call;
    using Handler = http::HttpResponse (BarbicanService::*)(Call&);
    struct FoundSecret {
        SecretRow row;
        Target target;
    };
    struct FoundContainer {
        ContainerRow row;
        Target target;
    };

    // secret_handlers.cc
    http::HttpResponse create_secret(Call& call);
    http::HttpResponse list_secrets(Call& call);
    http::HttpResponse show_secret(Call& call);
    http::HttpResponse show_payload(Call& call);
    http::HttpResponse put_payload(Call& call);
    http::HttpResponse delete_secret(Call& call);
    http::HttpResponse secret_acl(Call& call);
    http::HttpResponse payload(Call& call, const std::string& operation);
    // The secret of the path with its ACL target, or Barbican's 404.
    Result<FoundSecret, http::HttpResponse> find_secret(Call& call);
    // find_secret, then 403 unless the caller may do action on it.
    Result<FoundSecret, http::HttpResponse> permitted_secret(Call& call, Action action,
                                                             const std::string& operation);

    // container_handlers.cc
    http::HttpResponse create_container(Call& call);
    http::HttpResponse list_containers(Call& call);
    http::HttpResponse show_container(Call& call);
    http::HttpResponse delete_container(Call& call);
    http::HttpResponse container_acl(Call& call);
    Result<FoundContainer, http::HttpResponse> find_container(Call& call);
    Result<FoundContainer, http::HttpResponse> permitted_container(Call& call, Action action,
                                                                   const std::string& operation);
    // GET, PUT, PATCH, DELETE /v1/{secrets,containers}/{id}/acl
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
    http::Router<Handler> router_;
};

}  // namespace octane::keymanager
