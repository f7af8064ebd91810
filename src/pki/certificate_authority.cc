#include "pki/certificate_authority.h"

#include <cstring>
#include <filesystem>
#include <tuple>

#include <fcntl.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/file_util.h"
#include "pki/certificate_check.h"
#include "pki/openssl_handles.h"

namespace octane::pki {
namespace {

constexpr auto kClockSkew = std::chrono::minutes(5);

bool set_name(X509_NAME* name, const std::string& common_name) {
    return X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>("Octane"), -1, -1,
                                      0) == 1 &&
           X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                      reinterpret_cast<const unsigned char*>(common_name.c_str()),
                                      -1, -1, 0) == 1;
}

bool set_serial(X509* cert) {
    unsigned char bytes[16];
    if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
        return false;
    }
    bytes[0] &= 0x7f;  // positive
    BIGNUM* bn = BN_bin2bn(bytes, sizeof(bytes), nullptr);
    bool ok = bn != nullptr && BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
    BN_free(bn);
    return ok;
}

bool add_ext(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, ctx, nid, value);
    if (ext == nullptr) {
        return false;
    }
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

// subjectAltName built programmatically: names never pass through OpenSSL's config syntax.
bool add_san(X509* cert, const std::vector<std::string>& dns, const std::vector<std::string>& ips) {
    if (dns.empty() && ips.empty()) {
        return true;
    }
    GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
    bool ok = names != nullptr;
    for (const auto& name : dns) {
        GENERAL_NAME* gen = GENERAL_NAME_new();
        ASN1_IA5STRING* text = ASN1_IA5STRING_new();
        ok = ok && gen && text && ASN1_STRING_set(text, name.data(), static_cast<int>(name.size()));
        if (!ok) {
            GENERAL_NAME_free(gen);
            ASN1_IA5STRING_free(text);
            break;
        }
        GENERAL_NAME_set0_value(gen, GEN_DNS, text);
        sk_GENERAL_NAME_push(names, gen);
    }
    for (const auto& ip : ips) {
        ASN1_OCTET_STRING* address = ok ? a2i_IPADDRESS(ip.c_str()) : nullptr;
        GENERAL_NAME* gen = address ? GENERAL_NAME_new() : nullptr;
        if (gen == nullptr) {
            ASN1_OCTET_STRING_free(address);
            ok = false;
            break;
        }
        GENERAL_NAME_set0_value(gen, GEN_IPADD, address);
        sk_GENERAL_NAME_push(names, gen);
    }
    ok = ok && X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 0, 0) == 1;
    GENERAL_NAMES_free(names);
    return ok;
}

struct Validity {
    TimePoint not_before;
    TimePoint not_after;
};

bool set_validity(X509* cert, const Validity& v) {
    return ASN1_TIME_set(X509_getm_notBefore(cert),
                         std::chrono::system_clock::to_time_t(v.not_before)) != nullptr &&
           ASN1_TIME_set(X509_getm_notAfter(cert),
                         std::chrono::system_clock::to_time_t(v.not_after)) != nullptr;
}

Result<std::pair<std::string, std::string>> create_ca(const CaOptions& options) {
    auto key = generate_key();
    if (!key) {
        return Unexpected(key.error());
    }
    X509Ptr cert(X509_new());
    auto now = std::chrono::system_clock::now();
    X509V3_CTX ctx;
    bool ok = cert && X509_set_version(cert.get(), 2) == 1 && set_serial(cert.get()) &&
              set_validity(cert.get(), {now - kClockSkew, now + options.validity}) &&
              set_name(X509_get_subject_name(cert.get()), options.common_name) &&
              X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) == 1 &&
              X509_set_pubkey(cert.get(), key->get()) == 1;
    if (ok) {
        X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
        ok = add_ext(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE") &&
             add_ext(cert.get(), &ctx, NID_key_usage, "critical,keyCertSign,cRLSign") &&
             add_ext(cert.get(), &ctx, NID_subject_key_identifier, "hash") &&
             X509_sign(cert.get(), key->get(), EVP_sha256()) > 0;
    }
    if (!ok) {
        return make_error("cannot create the CA certificate: " + openssl_errors());
    }
    auto cert_pem = x509_to_pem(cert.get());
    auto key_pem = pkey_to_pem(key->get());
    if (!cert_pem || !key_pem) {
        return make_error("cannot encode the CA: " + openssl_errors());
    }
    return std::make_pair(*cert_pem, *key_pem);
}

}  // namespace

Result<CertificateAuthority> CertificateAuthority::open_or_create(const CaOptions& options) {
    std::error_code ec;
    std::filesystem::create_directories(options.dir, ec);
    if (ec) {
        return make_error("cannot create " + options.dir + ": " + ec.message());
    }
    std::string lock_path = options.dir + "/.lock";
    int lock_fd = open(lock_path.c_str(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (lock_fd == -1 || flock(lock_fd, LOCK_EX) == -1) {
        if (lock_fd != -1) {
            close(lock_fd);
        }
        return make_error("cannot lock " + lock_path + ": " + std::strerror(errno));
    }
    CertificateAuthority ca;
    ca.ca_cert_path_ = options.dir + "/ca.pem";
    std::string key_path = options.dir + "/ca.key";
    bool have_cert = std::filesystem::exists(ca.ca_cert_path_, ec);
    bool have_key = std::filesystem::exists(key_path, ec);
    Result<void> outcome;
    if (have_cert && have_key) {
        auto cert = read_text_file(ca.ca_cert_path_);
        auto key = read_text_file(key_path);
        if (!cert || !key) {
            outcome = make_error(!cert ? cert.error().message : key.error().message);
        } else {
            ca.ca_cert_pem_ = *cert;
            ca.ca_key_pem_ = *key;
        }
    } else if (have_cert || have_key) {
        outcome = make_error("incomplete CA in " + options.dir + ": need both ca.pem and ca.key");
    } else if (auto created = create_ca(options); !created) {
        outcome = make_error(created.error().message);
    } else {
        ca.ca_cert_pem_ = created->first;
        ca.ca_key_pem_ = created->second;
        outcome = write_file_atomic(key_path, ca.ca_key_pem_, 0600);
        if (outcome) {
            outcome = write_file_atomic(ca.ca_cert_path_, ca.ca_cert_pem_, 0644);
        }
    }
    flock(lock_fd, LOCK_UN);
    close(lock_fd);
    if (!outcome) {
        return Unexpected(outcome.error());
    }
    return ca;
}

Result<IssuedCert> CertificateAuthority::issue(const CertRequest& request, TimePoint now) const {
    auto ca_cert = x509_from_pem(ca_cert_pem_);
    auto ca_key = pkey_from_pem(ca_key_pem_);
    auto key = generate_key();
    if (!ca_cert || !ca_key || !key) {
        return make_error("CA not usable: " + openssl_errors());
    }
    for (const auto& ip : request.ip_addresses) {
        ASN1_OCTET_STRING* parsed = a2i_IPADDRESS(ip.c_str());
        if (parsed == nullptr) {
            return make_error("not an IP address: " + ip);
        }
        ASN1_OCTET_STRING_free(parsed);
    }
    IssuedCert out;
    out.not_before = now - kClockSkew;
    out.not_after = now + request.validity;
    X509Ptr cert(X509_new());
    bool ok = cert && X509_set_version(cert.get(), 2) == 1 && set_serial(cert.get()) &&
              set_validity(cert.get(), {out.not_before, out.not_after}) &&
              set_name(X509_get_subject_name(cert.get()), request.common_name) &&
              X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert->get())) == 1 &&
              X509_set_pubkey(cert.get(), key->get()) == 1;
    if (ok) {
        X509V3_CTX ctx;
        X509V3_set_ctx(&ctx, ca_cert->get(), cert.get(), nullptr, nullptr, 0);
        bool server = request.usage == CertUsage::kServer;
        ok =
            add_ext(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE") &&
            add_ext(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
            add_ext(cert.get(), &ctx, NID_ext_key_usage, server ? "serverAuth" : "clientAuth") &&
            add_ext(cert.get(), &ctx, NID_subject_key_identifier, "hash") &&
            add_ext(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always") &&
            add_san(cert.get(), request.dns_names, request.ip_addresses) &&
            X509_sign(cert.get(), ca_key->get(), EVP_sha256()) > 0;
    }
    if (!ok) {
        return make_error("cannot issue a certificate for " + request.common_name + ": " +
                          openssl_errors());
    }
    auto cert_pem = x509_to_pem(cert.get());
    auto key_pem = pkey_to_pem(key->get());
    if (!cert_pem || !key_pem) {
        return make_error("cannot encode the certificate: " + openssl_errors());
    }
    out.cert_pem = std::move(*cert_pem);
    out.key_pem = std::move(*key_pem);
    // The time ASN1 holds has second resolution; report what the certificate says.
    auto not_after = certificate_not_after(out.cert_pem);
    if (not_after) {
        out.not_after = *not_after;
    }
    return out;
}

Result<CertFiles> CertificateAuthority::issue_amphora_cert(const std::string& amphora_id,
                                                           const std::string& management_ip,
                                                           std::chrono::seconds validity,
                                                           const std::string& out_dir) const {
    auto issued = amphora_cert(amphora_id, management_ip, validity);
    if (!issued) {
        return Unexpected(issued.error());
    }
    return write_cert_files(*issued, out_dir, amphora_id, ca_cert_path_);
}

Result<IssuedCert> CertificateAuthority::amphora_cert(const std::string& amphora_id,
                                                      const std::string& management_ip,
                                                      std::chrono::seconds validity) const {
    CertRequest request;
    request.common_name = amphora_id;
    request.dns_names = {amphora_id};
    if (!management_ip.empty()) {
        request.ip_addresses = {management_ip};
    }
    request.usage = CertUsage::kServer;
    request.validity = validity;
    return issue(request, std::chrono::system_clock::now());
}

Result<CertFiles> CertificateAuthority::issue_client_cert(const std::string& common_name,
                                                          std::chrono::seconds validity,
                                                          const std::string& out_dir,
                                                          const std::string& name) const {
    CertRequest request;
    request.common_name = common_name;
    request.usage = CertUsage::kClient;
    request.validity = validity;
    auto issued = issue(request, std::chrono::system_clock::now());
    if (!issued) {
        return Unexpected(issued.error());
    }
    return write_cert_files(*issued, out_dir, name, ca_cert_path_);
}

Result<CertFiles> write_cert_files(const IssuedCert& cert, const std::string& dir,
                                   const std::string& name, const std::string& ca_path) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        return make_error("cannot create " + dir + ": " + ec.message());
    }
    CertFiles files{dir + "/" + name + ".crt", dir + "/" + name + ".key", dir + "/" + name + ".pem",
                    ca_path, cert.not_after};
    for (auto [path, content, mode] :
         {std::tuple{files.key_path, cert.key_pem, mode_t{0600}},
          std::tuple{files.cert_path, cert.cert_pem, mode_t{0644}},
          std::tuple{files.pem_path, cert.cert_pem + cert.key_pem, mode_t{0600}}}) {
        if (auto written = write_file_atomic(path, content, mode); !written) {
            return Unexpected(written.error());
        }
    }
    return files;
}

}  // namespace octane::pki
