// FrontendTls / BackendTls from real files: certificates issued by a throwaway CA (pki/), and
// handshakes run in memory over a socketpair.

#include "proxy/tls/tls_context.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include "pki/certificate_authority.h"

namespace octane::proxy::tls {
namespace {

namespace fs = std::filesystem;

class TlsContextTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() /
               ("octane-tls-test-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
        auto ca = pki::CertificateAuthority::open_or_create({(dir_ / "ca").string()});
        ASSERT_TRUE(ca) << ca.error().message;
        ca_.emplace(std::move(*ca));
        ca_file_ = ca_->ca_cert_path();
    }
    void TearDown() override { fs::remove_all(dir_); }

    // Writes cert + key as one PEM (Octavia's bundle) and returns its path.
    std::string issue(const std::string& cn, std::vector<std::string> dns = {},
                      pki::CertUsage usage = pki::CertUsage::kServer) {
        pki::CertRequest req;
        req.common_name = cn;
        req.dns_names = std::move(dns);
        req.usage = usage;
        auto c = ca_->issue(req, std::chrono::system_clock::now());
        EXPECT_TRUE(c);
        std::string path = (dir_ / (cn + ".pem")).string();
        std::ofstream(path) << c->cert_pem << c->key_pem;
        return path;
    }
    std::string write(const std::string& name, const std::string& text) {
        std::string path = (dir_ / name).string();
        std::ofstream(path) << text;
        return path;
    }

    fs::path dir_;
    std::optional<pki::CertificateAuthority> ca_;
    std::string ca_file_;
};

// Runs both handshakes to completion (or failure) over a socketpair; returns the client SSL.
struct Pair {
    SSL* server = nullptr;
    SSL* client = nullptr;
    SSL_CTX* client_ctx = nullptr;
    int fds[2] = {-1, -1};
    ~Pair() {
        SSL_free(server);
        SSL_free(client);
        SSL_CTX_free(client_ctx);
        close(fds[0]);
        close(fds[1]);
    }
};

bool handshake(const FrontendTls& fe, Pair& p, const char* sni, const std::string& client_pem,
               const std::string& alpn = "") {
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, p.fds);
    p.server = fe.new_ssl(p.fds[0]);
    p.client_ctx = SSL_CTX_new(TLS_client_method());
    if (!client_pem.empty()) {
        SSL_CTX_use_certificate_chain_file(p.client_ctx, client_pem.c_str());
        SSL_CTX_use_PrivateKey_file(p.client_ctx, client_pem.c_str(), SSL_FILETYPE_PEM);
    }
    if (!alpn.empty()) {
        SSL_CTX_set_alpn_protos(p.client_ctx, reinterpret_cast<const unsigned char*>(alpn.data()),
                                static_cast<unsigned>(alpn.size()));
    }
    p.client = SSL_new(p.client_ctx);
    SSL_set_fd(p.client, p.fds[1]);
    SSL_set_connect_state(p.client);
    if (sni != nullptr) {
        SSL_set_tlsext_host_name(p.client, sni);
    }
    bool server_done = false, client_done = false;
    // Bounded: a TLS 1.3 handshake takes a few flights.
    for (int i = 0; i < 50 && !(server_done && client_done); ++i) {
        if (!client_done) {
            int r = SSL_do_handshake(p.client);
            int e = SSL_get_error(p.client, r);
            if (r != 1 && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
                return false;
            }
            client_done = r == 1;
        }
        if (!server_done) {
            int r = SSL_do_handshake(p.server);
            int e = SSL_get_error(p.server, r);
            if (r != 1 && e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) {
                return false;
            }
            server_done = r == 1;
        }
    }
    if (!(server_done && client_done)) {
        return false;
    }
    // TLS 1.3 sends the client's certificate after the client considers the handshake done: a
    // refusal shows at the first read.
    char b;
    SSL_write(p.client, "x", 1);
    for (int i = 0; i < 10; ++i) {
        int r = SSL_read(p.server, &b, 1);
        if (r == 1) {
            return true;
        }
        if (SSL_get_error(p.server, r) != SSL_ERROR_WANT_READ) {
            return false;
        }
    }
    return false;
}

std::string peer_cn(SSL* client) {
    X509* cert = SSL_get0_peer_certificate(client);
    if (cert == nullptr) {
        return "";
    }
    char buf[256] = {};
    X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, buf, sizeof buf);
    return buf;
}

TEST_F(TlsContextTest, SniPicksTheCertificateAndTheFirstIsTheDefault) {
    std::string a = issue("a.example.com");
    std::string b = issue("b.example.com", {"b.example.com", "*.b.example.com"});
    config::TlsOptions t;
    t.ssl = true;
    t.crt_list = write("crt-list", a + "\n" + b + "\n");
    t.alpn = "h2,http/1.1,http/1.0";
    auto fe = FrontendTls::build(t);
    ASSERT_TRUE(fe) << fe.error().message;
    ASSERT_EQ((*fe)->cert_count(), 2u);
    EXPECT_EQ((*fe)->names_of(1),
              (std::vector<std::string>{"b.example.com", "b.example.com", "*.b.example.com"}));
    for (const auto& [sni, cn] :
         std::vector<std::pair<const char*, std::string>>{{"b.example.com", "b.example.com"},
                                                          {"x.b.example.com", "b.example.com"},
                                                          {"a.example.com", "a.example.com"},
                                                          {"unknown.example.com", "a.example.com"},
                                                          {nullptr, "a.example.com"}}) {
        Pair p;
        ASSERT_TRUE(handshake(**fe, p, sni, "", std::string("\x02h2\x08http/1.1")))
            << (sni ? sni : "no sni");
        EXPECT_EQ(peer_cn(p.client), cn) << (sni ? sni : "no sni");
        const unsigned char* proto = nullptr;
        unsigned len = 0;
        SSL_get0_alpn_selected(p.client, &proto, &len);
        EXPECT_EQ(std::string(reinterpret_cast<const char*>(proto), len), "http/1.1");
    }
}

TEST_F(TlsContextTest, ClientAuthenticationRequiredOrOptional) {
    std::string server = issue("lb.example.com");
    std::string good = issue("good-client", {}, pki::CertUsage::kClient);
    config::TlsOptions t;
    t.ssl = true;
    t.crts = {server};
    t.ca_file = ca_file_;
    t.verify = config::TlsVerify::kRequired;
    auto fe = FrontendTls::build(t);
    ASSERT_TRUE(fe) << fe.error().message;
    {
        Pair p;
        EXPECT_FALSE(handshake(**fe, p, nullptr, "")) << "no client certificate";
    }
    {
        Pair p;
        EXPECT_TRUE(handshake(**fe, p, nullptr, good));
    }
    t.verify = config::TlsVerify::kOptional;
    auto optional = FrontendTls::build(t);
    ASSERT_TRUE(optional);
    Pair p;
    EXPECT_TRUE(handshake(**optional, p, nullptr, ""));
}

TEST_F(TlsContextTest, BadFilesAreRefusedWithTheirName) {
    std::string a = issue("a.example.com");
    std::string b = issue("b.example.com");
    config::TlsOptions t;
    t.ssl = true;
    t.crt_list = (dir_ / "missing").string();
    auto r = FrontendTls::build(t);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("cannot open file"), std::string::npos);

    // Certificate of a, key of b.
    std::ifstream fa(a), fb(b);
    std::string ta((std::istreambuf_iterator<char>(fa)), {});
    std::string tb((std::istreambuf_iterator<char>(fb)), {});
    std::string mixed = ta.substr(0, ta.find("-----BEGIN PRIVATE KEY")) +
                        tb.substr(tb.find("-----BEGIN PRIVATE KEY"));
    t.crt_list = write("crt-list", write("mixed.pem", mixed) + "\n");
    r = FrontendTls::build(t);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("mixed.pem"), std::string::npos) << r.error().message;

    t.crt_list = write("crt-list2", a + "\n");
    t.ca_file = (dir_ / "no-ca.pem").string();
    r = FrontendTls::build(t);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().message.find("unable to load CA file"), std::string::npos);

    config::TlsOptions s;
    s.ssl = true;
    s.verify = config::TlsVerify::kRequired;
    s.ca_file = ca_file_;
    s.ciphers = "NOT-A-CIPHER";
    auto be = BackendTls::build(s);
    ASSERT_FALSE(be);
    EXPECT_NE(be.error().message.find("invalid 'ciphers'"), std::string::npos);
}

}  // namespace
}  // namespace octane::proxy::tls
