#include "keymanager/cert_manager.h"

#include "common/strings.h"
#include "common/uuid.h"

namespace octane::keymanager {
namespace {

// The UUID that ends a ref, as barbicanclient takes it (the path before it is not looked at).
std::string id_of(const std::string& ref) {
    std::string trimmed = ref;
    while (!trimmed.empty() && trimmed.back() == '/') {
        trimmed.pop_back();
    }
    const auto slash = trimmed.rfind('/');
    std::string id = slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
    return is_uuid(id) ? to_lower(id) : std::string();
}

}  // namespace

Result<std::string> CertManager::readable_payload(const Subject& subject, const std::string& id) {
    auto secret = secrets_.get(id);
    if (!secret) {
        return Unexpected(secret.error());
    }
    if (!*secret) {
        return make_error("secret " + id + " not found", 404);
    }
    auto acl = acls_.get(id);
    if (!acl) {
        return Unexpected(acl.error());
    }
    const Target target{(**secret).project_id, (**secret).creator_id, acl->acl};
    if (!allowed(Action::kDecrypt, subject, &target, false)) {
        return make_error("secret " + id + " not readable by the caller", 403);
    }
    if (!(**secret).sealed) {
        return make_error("secret " + id + " has no payload", 404);
    }
    return cipher_.decrypt(*(**secret).sealed);
}

Result<std::string> CertManager::get_secret(const Subject& subject, const std::string& ref) {
    const std::string id = id_of(ref);
    if (id.empty()) {
        return make_error("not a secret ref: " + ref);
    }
    return readable_payload(subject, id);
}

Result<TlsBundle> CertManager::get_cert(const Subject& subject, const std::string& ref) {
    const std::string id = id_of(ref);
    if (id.empty()) {
        return make_error("not a secret or container ref: " + ref);
    }
    if (auto payload = readable_payload(subject, id); payload) {
        return bundle_from_pkcs12(*payload);
    }
    auto container = containers_.get(id);
    if (!container) {
        return Unexpected(container.error());
    }
    if (!*container || (**container).type != "certificate") {
        return make_error("no readable PKCS12 secret or certificate container " + id);
    }
    auto acl = acls_.get(id);
    if (!acl) {
        return Unexpected(acl.error());
    }
    const Target target{(**container).project_id, (**container).creator_id, acl->acl};
    if (!allowed(Action::kGet, subject, &target, true)) {
        return make_error("container " + id + " not readable by the caller", 403);
    }
    std::string certificate, key, intermediates;
    std::optional<std::string> passphrase;
    for (const auto& ref_name : (**container).secret_refs) {
        auto payload = readable_payload(subject, ref_name.secret_id);
        if (!payload) {
            return Unexpected(payload.error());
        }
        if (ref_name.name == "certificate") {
            certificate = *payload;
        } else if (ref_name.name == "private_key") {
            key = *payload;
        } else if (ref_name.name == "intermediates") {
            intermediates = *payload;
        } else if (ref_name.name == "private_key_passphrase") {
            passphrase = *payload;
        }
    }
    return bundle_from_pems(certificate, key, intermediates, passphrase);
}

Result<std::string> CertManager::project_material(const std::string& project_id,
                                                  const std::string& ref, bool bundle) {
    const Subject project_admin{"", project_id, {"admin"}};
    if (!bundle) {
        return get_secret(project_admin, ref);
    }
    auto cert = get_cert(project_admin, ref);
    if (!cert) {
        return Unexpected(cert.error());
    }
    return bundle_pem(*cert);
}

}  // namespace octane::keymanager
