#pragma once

// Barbican's JSON shapes (secret and container metadata, list pages with next/previous hrefs,
// ACLs) and responses, shared by the handlers of barbican_service.

#include <nlohmann/json.hpp>

#include "http/http_message.h"
#include "keymanager/acl_repository.h"
#include "keymanager/barbican_rules.h"
#include "keymanager/barbican_service.h"
#include "keymanager/container_repository.h"
#include "keymanager/secret_repository.h"

namespace octane::keymanager {

struct BarbicanService::Call {
    const http::HttpRequest& request;
    Subject subject;
    std::string v1;       // "<public base>/key-manager/v1"
    http::Params params;  // the route's captures
};

http::HttpResponse km_json(int status, const nlohmann::json& body);
http::HttpResponse km_fault(const KmError& error);
// policy refusal, as Barbican words PolicyNotAuthorized.
http::HttpResponse forbidden(const std::string& operation);
http::HttpResponse internal_error(const std::string& operation, const Error& error);

nlohmann::json secret_json(const SecretRow& secret, const std::string& v1);
nlohmann::json container_json(const ContainerRow& container, const std::string& v1);
nlohmann::json acl_json(const AclRow& acl);

// ?limit= (default 10, at most 100) and ?offset=.
Page page_of(const http::HttpRequest& request);
// {"<collection>": items, "total": n} plus "next"/"previous" hrefs as Barbican's add_nav_hrefs.
nlohmann::json page_json(const std::string& collection, nlohmann::json items, int64_t total,
                         Page page, const std::string& v1, const std::string& name);

}  // namespace octane::keymanager
