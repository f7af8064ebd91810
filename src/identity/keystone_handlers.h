#pragma once

// The handlers of KeystoneService's route table (keystone_service.cc): one free function per call,
// tokens and discovery in keystone_service.cc, projects/users/roles/domains in
// keystone_resources.cc, grants and assignments in keystone_assignments.cc.

#include <string>

#include "http/http_message.h"
#include "http/router.h"
#include "identity/identity_store.h"

namespace octane::identity {

struct KeystoneCall {
    IdentityStore& store;
    const http::HttpRequest& request;
    const http::Params& params;
    const TokenInfo* caller;  // null on the routes that need no token
    std::string base;         // request_base(): what links start with

    const std::string& param(const char* name) const { return params.at(name); }
    bool admin() const { return caller != nullptr && caller->has_role("admin"); }
};

using KeystoneHandler = http::HttpResponse (*)(const KeystoneCall&);

// A store failure as Keystone answers it: its 4xx as is, anything else a bare 500.
http::HttpResponse failed(const Error& error);
http::HttpResponse forbidden(const std::string& action);
http::HttpResponse no_content();

// keystone_resources.cc
http::HttpResponse list_auth_projects(const KeystoneCall& call);
http::HttpResponse show_auth_catalog(const KeystoneCall& call);
http::HttpResponse list_domains(const KeystoneCall& call);
http::HttpResponse show_domain(const KeystoneCall& call);
http::HttpResponse list_projects(const KeystoneCall& call);
http::HttpResponse create_project(const KeystoneCall& call);
http::HttpResponse show_project(const KeystoneCall& call);
http::HttpResponse delete_project(const KeystoneCall& call);
http::HttpResponse list_users(const KeystoneCall& call);
http::HttpResponse create_user(const KeystoneCall& call);
http::HttpResponse show_user(const KeystoneCall& call);
http::HttpResponse delete_user(const KeystoneCall& call);
http::HttpResponse list_user_projects(const KeystoneCall& call);
http::HttpResponse list_roles(const KeystoneCall& call);
http::HttpResponse create_role(const KeystoneCall& call);

// keystone_assignments.cc
http::HttpResponse show_role(const KeystoneCall& call);
http::HttpResponse grant_project_role(const KeystoneCall& call);
http::HttpResponse list_system_roles(const KeystoneCall& call);
// GET/HEAD check, PUT grant, DELETE revoke of /v3/system/users/{user_id}/roles/{role_id}.
http::HttpResponse system_role(const KeystoneCall& call);
http::HttpResponse list_role_assignments(const KeystoneCall& call);

}  // namespace octane::identity
