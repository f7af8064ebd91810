#include "service/surfaces.h"

#include <spdlog/spdlog.h>

#include "common/strings.h"
#include "identity/identity_bootstrap.h"
#include "identity/identity_schema.h"
#include "identity/keystone_service.h"
#include "identity/remote_token_validator.h"
#include "keymanager/barbican_service.h"
#include "keymanager/keymanager_schema.h"
#include "keymanager/octavia_tls_refs.h"
#include "linuxbridge/linuxbridge_driver.h"
#include "networking/local_network_driver.h"
#include "networking/network_bootstrap.h"
#include "networking/neutron_service.h"

namespace octane::service {
namespace {

bool under(const std::string& path, const std::string& prefix) {
    return path == prefix || starts_with(path, prefix + "/");
}

}  // namespace

struct Surfaces::Impl {
    db::Database& database;
    const ServiceOptions& options;
    identity::IdentityStore identity_store;
    networking::NetworkStore network_store;
    std::unique_ptr<identity::TokenValidator> validator;
    identity::KeystoneService keystone;
    std::unique_ptr<networking::NeutronService> neutron;
    std::unique_ptr<keymanager::BarbicanService> barbican;
    std::unique_ptr<keymanager::CertManager> certs;
    std::unique_ptr<networking::LocalNetworkDriver> local_driver;
    std::unique_ptr<linuxbridge::LinuxbridgeDriver> linuxbridge_driver;
    std::string www_authenticate_uri;
    api::PolicyConfig policy;

    Impl(db::Database& db, const Clock& clock, const ServiceOptions& o)
        : database(db),
          options(o),
          identity_store(db, clock, o.token_expiration),
          network_store(db, clock),
          keystone(identity_store, o.api_base_uri),
          policy{o.enforce_new_defaults, o.enforce_scope} {}

    bool noauth() const { return options.auth_strategy == "noauth"; }
    bool external() const { return !options.keystone_auth_url.empty(); }

    Result<identity::Caller, http::HttpResponse> caller(const http::HttpRequest& request) {
        if (noauth()) {
            identity::Caller c;
            for (const char* header : {"x-project-id", "x-tenant-id"}) {
                if (const auto* value = request.header(header); value && !value->empty()) {
                    c.project_id = *value;
                    break;
                }
            }
            c.roles = {"admin"};
            return c;
        }
        std::string uri = www_authenticate_uri;
        if (uri.empty()) {
            uri = identity::request_base(request, options.api_base_uri) + "/identity";
        }
        return identity::authenticate_request(*validator, request, uri);
    }
};

Surfaces::Surfaces(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Surfaces::~Surfaces() = default;

Result<std::unique_ptr<Surfaces>> Surfaces::create(db::Database& db, const Clock& clock,
                                                   const ServiceOptions& options) {
    if (auto done = identity::migrate_identity(db); !done) {
        return Unexpected(done.error());
    }
    if (auto done = networking::migrate_networking(db); !done) {
        return Unexpected(done.error());
    }
    if (auto done = keymanager::migrate_keymanager(db); !done) {
        return Unexpected(done.error());
    }
    auto cipher = keymanager::SecretCipher::open_or_create(options.state_dir);
    if (!cipher) {
        return Unexpected(cipher.error());
    }
    auto impl = std::make_unique<Impl>(db, clock, options);
    Impl* raw = impl.get();
    impl->certs = std::make_unique<keymanager::CertManager>(db, *cipher);
    impl->barbican = std::make_unique<keymanager::BarbicanService>(
        db, std::move(*cipher), clock, [raw](const http::HttpRequest& r) { return raw->caller(r); },
        options.api_base_uri);
    if (impl->external()) {
        identity::RemoteKeystoneOptions remote;
        remote.auth_url = options.keystone_auth_url;
        remote.username = options.keystone_username;
        remote.password = options.keystone_password;
        remote.project_name = options.keystone_project_name;
        if (!options.keystone_user_domain_name.empty()) {
            remote.user_domain_name = options.keystone_user_domain_name;
        }
        if (!options.keystone_project_domain_name.empty()) {
            remote.project_domain_name = options.keystone_project_domain_name;
        }
        remote.ca_file = options.keystone_ca_file;
        remote.cert_file = options.keystone_cert_file;
        remote.key_file = options.keystone_key_file;
        remote.insecure = options.keystone_insecure;
        remote.cache_seconds = options.keystone_cache_seconds;
        remote.timeout_seconds = options.keystone_timeout_seconds;
        remote.invalid_cache_seconds = options.keystone_invalid_cache_seconds;
        remote.failed_validations_per_second =
            static_cast<double>(options.keystone_failed_validations);
        auto validator = identity::RemoteTokenValidator::create(remote, clock);
        if (!validator) {
            return Unexpected(validator.error());
        }
        impl->validator = std::move(*validator);
        impl->www_authenticate_uri = options.keystone_www_authenticate_uri.empty()
                                         ? options.keystone_auth_url
                                         : options.keystone_www_authenticate_uri;
    } else {
        impl->validator = std::make_unique<identity::LocalTokenValidator>(impl->identity_store);
    }
    impl->neutron = std::make_unique<networking::NeutronService>(
        impl->network_store, [raw](const http::HttpRequest& r) { return raw->caller(r); },
        options.api_base_uri);
    if (options.network_driver == "local") {
        impl->local_driver = std::make_unique<networking::LocalNetworkDriver>(impl->network_store);
    }
    if (options.network_driver == "linuxbridge") {
        auto driver =
            linuxbridge::LinuxbridgeDriver::create(db, impl->network_store, options.linuxbridge);
        if (!driver) {
            return Unexpected(driver.error());
        }
        impl->linuxbridge_driver = std::move(*driver);
        auto* realiser = impl->linuxbridge_driver.get();
        // Neutron's agents act on every change; here synchronously, before the answer leaves.
        impl->neutron->set_on_change([realiser] {
            if (auto done = realiser->reconcile(false); !done) {
                spdlog::error("linuxbridge: {}", done.error().message);
            }
        });
    }
    return std::unique_ptr<Surfaces>(new Surfaces(std::move(impl)));
}

drivers::NetworkDriver* Surfaces::network_driver() {
    if (impl_->linuxbridge_driver) {
        return impl_->linuxbridge_driver.get();
    }
    return impl_->local_driver.get();
}

drivers::AmphoraNetworking* Surfaces::amphora_networking() {
    return impl_->linuxbridge_driver.get();
}

std::string Surfaces::controller_ip() {
    return impl_->linuxbridge_driver ? impl_->linuxbridge_driver->controller_ip() : std::string();
}

api::Authenticator Surfaces::authenticator() {
    if (impl_->noauth()) {
        return {};
    }
    Impl* raw = impl_.get();
    return
        [raw](const http::HttpRequest& request) -> Result<api::RequestContext, http::HttpResponse> {
            auto caller = raw->caller(request);
            if (!caller) {
                return Unexpected(std::move(caller.error()));
            }
            api::RequestContext context;
            context.project_id = caller->project_id;
            context.user_id = caller->user_id;
            context.roles.insert(caller->roles.begin(), caller->roles.end());
            context.system_scope = caller->system_scope;
            context.policy = raw->policy;
            context.is_admin = false;  // policy derives admin from the roles
            context.enforce_quota = true;
            return context;
        };
}

api::TlsRefCheck Surfaces::tls_ref_check() {
    keymanager::CertManager* certs = impl_->certs.get();
    return [certs](const api::RequestContext& context, const nlohmann::json& attrs,
                   bool is_pool) -> model::ApiResult<void> {
        keymanager::Subject subject;
        subject.project_id = context.project_id.value_or("");
        subject.user_id = context.user_id.value_or("");
        subject.roles = context.roles;
        if (context.is_admin) {
            subject.roles.insert("admin");  // noauth: every caller is admin of its project
        }
        return keymanager::check_tls_refs(*certs, subject, attrs, is_pool);
    };
}

drivers::TlsSource Surfaces::tls_source() {
    keymanager::CertManager* certs = impl_->certs.get();
    return [certs](const std::string& project_id, const std::string& ref, bool bundle) {
        return certs->project_material(project_id, ref, bundle);
    };
}

Result<void> Surfaces::bootstrap(const std::string& host, uint16_t port) {
    std::string shown = host == "0.0.0.0" || host == "::" || host.empty() ? "127.0.0.1" : host;
    if (shown.find(':') != std::string::npos) {
        shown = "[" + shown + "]";
    }
    std::string base = impl_->options.api_base_uri.empty()
                           ? "http://" + shown + ":" + std::to_string(port)
                           : impl_->options.api_base_uri;
    // One transaction: processes starting together over one database (several hosts on
    // PostgreSQL) make the admin user and the first networks once, the others then find them.
    std::string admin_project;
    auto first_start = impl_->database.transaction([&]() -> Result<void> {
        if (!impl_->external()) {
            auto done = identity::bootstrap_identity(
                impl_->identity_store, impl_->options.state_dir, base + "/identity/v3");
            if (!done) {
                return done;
            }
            auto admin = impl_->identity_store.find_project("admin");
            if (admin && admin->has_value()) {
                admin_project = (**admin).id;
            }
        }
        networking::NetworkBootstrap nets;
        nets.selfservice_cidr = impl_->options.selfservice_cidr;
        nets.provider_cidr = impl_->options.provider_cidr;
        return networking::bootstrap_networks(impl_->network_store, admin_project, nets);
    });
    if (!first_start) {
        return first_start;
    }
    if (!impl_->linuxbridge_driver) {
        return {};
    }
    if (auto done = impl_->linuxbridge_driver->bootstrap(admin_project); !done) {
        return done;
    }
    return impl_->linuxbridge_driver->reconcile(true);
}

http::Handler Surfaces::wrap(http::Handler api) {
    Impl* raw = impl_.get();
    return [raw, api = std::move(api)](const http::HttpRequest& request) {
        if (under(request.path, "/identity") || under(request.path, "/v3")) {
            return raw->keystone.handle(request);
        }
        if (under(request.path, "/networking")) {
            return raw->neutron->handle(request);
        }
        if (under(request.path, "/key-manager")) {
            return raw->barbican->handle(request);
        }
        return api(request);
    };
}

}  // namespace octane::service
