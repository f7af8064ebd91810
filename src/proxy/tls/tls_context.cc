#include "proxy/tls/tls_context.h"

#include <fstream>
#include <sstream>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "common/openssl_errors.h"
#include "proxy/tls/crt_list.h"
#include "proxy/tls/tls_options.h"

namespace octane::proxy::tls {
namespace {

// Any fixed value: OpenSSL refuses to resume a session of a verifying context without one.
constexpr unsigned char kSessionIdContext[] = "octane-proxy";

Unexpected<Error> ssl_failure(const std::string& what) {
    return make_error(what + ": " + openssl_errors());
}

Result<std::string> read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    if (!f) {
        return make_error("cannot open file '" + path + "'");
    }
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// What both directions share: protocol range, ciphers, buffer modes.
Result<void> apply_common(SSL_CTX* ctx, const config::TlsOptions& t) {
    auto range = version_range(t);
    if (!range) {
        return make_error(range.error().message);
    }
    SSL_CTX_set_min_proto_version(ctx, range->min);
    SSL_CTX_set_max_proto_version(ctx, range->max);
    // A peer closing without close_notify (most HTTP clients) is an end of stream, not an error.
    SSL_CTX_set_options(
        ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_IGNORE_UNEXPECTED_EOF);
    // Partial writes and a moving buffer: the sessions retry a write from a buffer that may have
    // grown or moved. Released buffers: an idle connection keeps no 2 x 16 KiB record buffers.
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
                              SSL_MODE_RELEASE_BUFFERS);
    if (!t.ciphers.empty() && SSL_CTX_set_cipher_list(ctx, t.ciphers.c_str()) != 1) {
        return ssl_failure("invalid 'ciphers' '" + t.ciphers + "'");
    }
    if (!t.ciphersuites.empty() && SSL_CTX_set_ciphersuites(ctx, t.ciphersuites.c_str()) != 1) {
        return ssl_failure("invalid 'ciphersuites' '" + t.ciphersuites + "'");
    }
    return {};
}

Result<void> use_certificate(SSL_CTX* ctx, const std::string& pem) {
    if (SSL_CTX_use_certificate_chain_file(ctx, pem.c_str()) != 1) {
        return ssl_failure("unable to load certificate from file '" + pem + "'");
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, pem.c_str(), SSL_FILETYPE_PEM) != 1) {
        return ssl_failure("unable to load private key from file '" + pem + "'");
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        return ssl_failure("the private key in '" + pem + "' does not match its certificate");
    }
    return {};
}

// The CA (and CRL) store verifying peers; shared by every context of a bind.
Result<X509_STORE*> load_store(const config::TlsOptions& t) {
    X509_STORE* store = X509_STORE_new();
    if (store == nullptr) {
        return ssl_failure("out of memory");
    }
    if (X509_STORE_load_file(store, t.ca_file.c_str()) != 1) {
        X509_STORE_free(store);
        return ssl_failure("unable to load CA file '" + t.ca_file + "'");
    }
    if (!t.crl_file.empty()) {
        X509_LOOKUP* lookup = X509_STORE_add_lookup(store, X509_LOOKUP_file());
        if (lookup == nullptr ||
            X509_load_crl_file(lookup, t.crl_file.c_str(), X509_FILETYPE_PEM) <= 0) {
            X509_STORE_free(store);
            return ssl_failure("unable to load CRL file '" + t.crl_file + "'");
        }
        X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
    }
    return store;
}

// CN and DNS subjectAltNames of the context's certificate: the names it answers without filters.
std::vector<std::string> certificate_names(SSL_CTX* ctx) {
    std::vector<std::string> names;
    X509* cert = SSL_CTX_get0_certificate(ctx);
    if (cert == nullptr) {
        return names;
    }
    X509_NAME* subject = X509_get_subject_name(cert);
    for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
         i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
        ASN1_STRING* s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
        names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                           static_cast<size_t>(ASN1_STRING_length(s)));
    }
    auto* sans =
        static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    for (int i = 0; sans != nullptr && i < sk_GENERAL_NAME_num(sans); ++i) {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(sans, i);
        if (g->type == GEN_DNS) {
            names.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(g->d.dNSName)),
                               static_cast<size_t>(ASN1_STRING_length(g->d.dNSName)));
        }
    }
    GENERAL_NAMES_free(sans);
    return names;
}

}  // namespace

Result<std::unique_ptr<FrontendTls>> FrontendTls::build(const config::TlsOptions& t) {
    std::vector<CrtListEntry> entries;
    for (const std::string& crt : t.crts) {
        entries.push_back(CrtListEntry{0, crt, {}, {}});
    }
    if (!t.crt_list.empty()) {
        auto text = read_file(t.crt_list);
        if (!text) {
            return make_error("'crt-list' : " + text.error().message);
        }
        auto list = parse_crt_list(*text);
        if (!list) {
            return make_error("'crt-list' '" + t.crt_list + "' " + list.error().message);
        }
        entries.insert(entries.end(), list->begin(), list->end());
    }
    X509_STORE* store = nullptr;
    if (!t.ca_file.empty()) {
        auto s = load_store(t);
        if (!s) {
            return make_error(s.error().message);
        }
        store = *s;
    }
    STACK_OF(X509_NAME)* ca_names =
        t.ca_file.empty() ? nullptr : SSL_load_client_CA_file(t.ca_file.c_str());
    auto self = std::make_unique<FrontendTls>();
    self->alpn_ = alpn_wire(t.alpn);
    Result<void> result;
    for (size_t i = 0; i < entries.size() && result; ++i) {
        CtxPtr ctx(SSL_CTX_new(TLS_server_method()));
        if (!ctx) {
            result = ssl_failure("out of memory");
            break;
        }
        result = apply_common(ctx.get(), t);
        if (result) {
            result = use_certificate(ctx.get(), entries[i].file);
        }
        if (!result) {
            break;
        }
        SSL_CTX* c = ctx.get();
        // As HAProxy's default: the server's cipher order wins.
        SSL_CTX_set_options(c, SSL_OP_CIPHER_SERVER_PREFERENCE);
        SSL_CTX_set_dh_auto(c, 1);
        SSL_CTX_set_session_id_context(c, kSessionIdContext, sizeof kSessionIdContext - 1);
        SSL_CTX_set_tlsext_servername_callback(c, &FrontendTls::on_servername);
        SSL_CTX_set_tlsext_servername_arg(c, self.get());
        if (!self->alpn_.empty()) {
            SSL_CTX_set_alpn_select_cb(c, &FrontendTls::on_alpn, self.get());
        }
        if (store != nullptr) {
            SSL_CTX_set1_cert_store(c, store);
            int mode = SSL_VERIFY_PEER;
            if (t.verify == config::TlsVerify::kRequired) {
                mode |= SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
            }
            if (t.verify == config::TlsVerify::kOptional ||
                t.verify == config::TlsVerify::kRequired) {
                SSL_CTX_set_verify(c, mode, nullptr);
                if (ca_names != nullptr) {
                    SSL_CTX_set_client_CA_list(c, SSL_dup_CA_list(ca_names));
                }
            }
        }
        const CrtListEntry& e = entries[i];
        std::vector<std::string> names = e.filters.empty() ? certificate_names(c) : e.filters;
        self->selector_.add(static_cast<int>(i), names, e.exclusions);
        self->names_.push_back(std::move(names));
        self->ctxs_.push_back(std::move(ctx));
    }
    if (ca_names != nullptr) {
        sk_X509_NAME_pop_free(ca_names, X509_NAME_free);
    }
    X509_STORE_free(store);  // the contexts hold their references
    if (!result) {
        return make_error(result.error().message);
    }
    return self;
}

SSL* FrontendTls::new_ssl(int fd) const {
    SSL* ssl = SSL_new(ctxs_.front().get());
    if (ssl == nullptr) {
        ERR_clear_error();
        return nullptr;
    }
    SSL_set_fd(ssl, fd);
    SSL_set_accept_state(ssl);
    return ssl;
}

int FrontendTls::on_servername(SSL* ssl, int*, void* arg) {
    const auto* self = static_cast<const FrontendTls*>(arg);
    const char* name = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    int idx = name == nullptr ? 0 : self->selector_.select(name);
    if (idx != 0) {
        SSL_set_SSL_CTX(ssl, self->ctxs_[static_cast<size_t>(idx)].get());
    }
    return SSL_TLSEXT_ERR_OK;
}

int FrontendTls::on_alpn(SSL*, const unsigned char** out, unsigned char* outlen,
                         const unsigned char* in, unsigned inlen, void* arg) {
    const auto* self = static_cast<const FrontendTls*>(arg);
    unsigned char* chosen = nullptr;
    if (SSL_select_next_proto(
            &chosen, outlen, reinterpret_cast<const unsigned char*>(self->alpn_.data()),
            static_cast<unsigned>(self->alpn_.size()), in, inlen) != OPENSSL_NPN_NEGOTIATED) {
        return SSL_TLSEXT_ERR_NOACK;  // no common protocol: go on without ALPN, as HAProxy
    }
    *out = chosen;
    return SSL_TLSEXT_ERR_OK;
}

Result<std::unique_ptr<BackendTls>> BackendTls::build(const config::TlsOptions& t) {
    auto self = std::make_unique<BackendTls>();
    self->ctx_.reset(SSL_CTX_new(TLS_client_method()));
    SSL_CTX* c = self->ctx_.get();
    if (c == nullptr) {
        return ssl_failure("out of memory");
    }
    if (auto r = apply_common(c, t); !r) {
        return make_error(r.error().message);
    }
    if (!t.crts.empty()) {
        if (auto r = use_certificate(c, t.crts.front()); !r) {
            return make_error(r.error().message);
        }
    }
    self->verify_ = t.verify != config::TlsVerify::kNone;
    if (self->verify_) {
        auto store = load_store(t);
        if (!store) {
            return make_error(store.error().message);
        }
        SSL_CTX_set_cert_store(c, *store);  // takes ownership
        SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
    }
    // Sessions go to on_new_session only; OpenSSL's own client cache would never be looked up.
    SSL_CTX_set_session_cache_mode(c, SSL_SESS_CACHE_CLIENT | SSL_SESS_CACHE_NO_INTERNAL_STORE);
    SSL_CTX_sess_set_new_cb(c, &BackendTls::on_new_session);
    SSL_CTX_set_app_data(c, self.get());
    std::string alpn = alpn_wire(t.alpn);
    if (!alpn.empty() &&
        SSL_CTX_set_alpn_protos(c, reinterpret_cast<const unsigned char*>(alpn.data()),
                                static_cast<unsigned>(alpn.size())) != 0) {
        return ssl_failure("invalid 'alpn' '" + t.alpn + "'");
    }
    return self;
}

BackendTls::~BackendTls() {
    for (auto& [name, session] : sessions_) {
        SSL_SESSION_free(session);
    }
}

int BackendTls::on_new_session(SSL* ssl, SSL_SESSION* session) {
    auto* self = static_cast<BackendTls*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
    const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name);
    std::string_view name = sni == nullptr ? "" : sni;
    // Bounded: an `sni` expression with many names keeps the first ones only.
    constexpr size_t kMaxNames = 64;
    std::lock_guard lock(self->mu_);
    auto it = self->sessions_.find(name);
    if (it == self->sessions_.end()) {
        if (self->sessions_.size() >= kMaxNames) {
            return 0;  // not kept: OpenSSL drops its reference
        }
        self->sessions_.emplace(std::string(name), session);
        return 1;
    }
    SSL_SESSION_free(it->second);
    it->second = session;
    return 1;  // the reference is ours now
}

SSL* BackendTls::new_ssl(int fd, std::string_view sni) const {
    SSL* ssl = SSL_new(ctx_.get());
    if (ssl == nullptr) {
        ERR_clear_error();
        return nullptr;
    }
    SSL_set_fd(ssl, fd);
    SSL_set_connect_state(ssl);
    {
        std::lock_guard lock(mu_);
        if (auto it = sessions_.find(sni); it != sessions_.end()) {
            SSL_set_session(ssl, it->second);  // takes its own reference
        }
    }
    if (!sni.empty()) {
        std::string name(sni);
        SSL_set_tlsext_host_name(ssl, name.c_str());
        if (verify_) {
            SSL_set1_host(ssl, name.c_str());
        }
    }
    return ssl;
}

}  // namespace octane::proxy::tls
