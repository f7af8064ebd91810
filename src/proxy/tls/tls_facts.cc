#include "proxy/tls/tls_facts.h"

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace octane::proxy::tls {
namespace {

std::string asn1_text(const ASN1_STRING* s) {
    return s == nullptr ? std::string()
                        : std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                      static_cast<size_t>(ASN1_STRING_length(s)));
}

// "/C=FR/O=Example/CN=host", OpenSSL's one-line form, which HAProxy prints too.
std::string one_line(const X509_NAME* name) {
    char* text = X509_NAME_oneline(name, nullptr, 0);
    std::string out = text != nullptr ? text : "";
    OPENSSL_free(text);
    return out;
}

}  // namespace

http::TlsFacts read_tls_facts(const SSL* ssl) {
    http::TlsFacts f;
    if (const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name); sni != nullptr) {
        f.sni = sni;
    }
    f.verify = SSL_get_verify_result(ssl);
    X509* cert = SSL_get0_peer_certificate(ssl);
    if (cert == nullptr) {
        f.verify = 0;  // nothing was verified
        return f;
    }
    f.has_cert = true;
    const X509_NAME* subject = X509_get_subject_name(cert);
    f.s_dn = one_line(subject);
    f.i_dn = one_line(X509_get_issuer_name(cert));
    for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
        const X509_NAME_ENTRY* e = X509_NAME_get_entry(subject, i);
        int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
        const char* sn = nid == NID_undef ? nullptr : OBJ_nid2sn(nid);
        if (sn != nullptr) {
            f.s_dn_entries.emplace_back(sn, asn1_text(X509_NAME_ENTRY_get_data(e)));
        }
    }
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (X509_digest(cert, EVP_sha1(), md, &len) == 1) {
        static constexpr char kHex[] = "0123456789ABCDEF";
        for (unsigned i = 0; i < len; ++i) {
            f.sha1_hex += kHex[md[i] >> 4];
            f.sha1_hex += kHex[md[i] & 15];
        }
    }
    f.not_before = asn1_text(X509_get0_notBefore(cert));
    f.not_after = asn1_text(X509_get0_notAfter(cert));
    return f;
}

}  // namespace octane::proxy::tls
