// http::TlsServer + http::HttpsClient over real TLS on 127.0.0.1 with certificates from pki/:
// mutual authentication, the amphora-id name check, refusal of missing and foreign certificates;
// and what the external Keystone client relies on: an IP address as the expected name (IP SAN),
// and `insecure` (no certificate check).

#include <filesystem>

#include <gtest/gtest.h>
#include <unistd.h>

#include "http/https_client.h"
#include "http/tls_server.h"
#include "pki/certificate_authority.h"

namespace octane::http {
namespace {

constexpr const char* kAmphora = "3d1c52c2-8a0e-4c8c-9a57-5b0f1c2d3e4f";

class TlsRoundtripTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("octane-tls-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
        auto ca = pki::CertificateAuthority::open_or_create({.dir = (dir_ / "ca").string()});
        ASSERT_TRUE(ca) << ca.error().message;
        auto foreign = pki::CertificateAuthority::open_or_create({.dir = (dir_ / "xca").string()});
        ASSERT_TRUE(foreign);
        auto hours = std::chrono::hours(1);
        server_ = *ca->issue_amphora_cert(kAmphora, "127.0.0.1", hours, (dir_ / "s").string());
        client_ = *ca->issue_client_cert("controller", hours, (dir_ / "c").string());
        foreign_client_ = *foreign->issue_client_cert("intruder", hours, (dir_ / "x").string());
        TlsServerOptions options;
        options.http.bind_host = "127.0.0.1";
        options.http.bind_port = 0;
        options.cert_file = server_.cert_path;
        options.key_file = server_.key_path;
        options.client_ca_file = server_.ca_path;
        server = std::make_unique<TlsServer>(options, [](const HttpRequest& r) {
            return HttpResponse{200, "text/plain", {{"X-Method", r.method}}, r.path + ":" + r.body};
        });
        auto started = server->start();
        ASSERT_TRUE(started) << started.error().message;
    }
    void TearDown() override {
        server.reset();
        std::filesystem::remove_all(dir_);
    }

    Result<HttpsResponse> call(const pki::CertFiles* client, const std::string& name,
                               const std::string& ca_file = "", bool verify = true) {
        HttpsClientOptions options;
        options.ca_file = ca_file.empty() ? server_.ca_path : ca_file;
        options.verify = verify;
        if (client != nullptr) {
            options.cert_file = client->pem_path;
        }
        options.connect_timeout = std::chrono::seconds(5);
        options.read_timeout = std::chrono::seconds(5);
        auto https = HttpsClient::create(options);
        EXPECT_TRUE(https) << https.error().message;
        HttpsRequest request;
        request.method = "PUT";
        request.host = "127.0.0.1";
        request.port = server->port();
        request.target = "/1.0/x";
        request.body = "body";
        request.expected_server_name = name;
        return https->request(request);
    }

    std::filesystem::path dir_;
    pki::CertFiles server_, client_, foreign_client_;
    std::unique_ptr<TlsServer> server;
};

TEST_F(TlsRoundtripTest, MutualTlsRequestReachesTheHandler) {
    auto response = call(&client_, kAmphora);
    ASSERT_TRUE(response) << response.error().message;
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "/1.0/x:body");
    ASSERT_NE(response->header("x-method"), nullptr);
    EXPECT_EQ(*response->header("x-method"), "PUT");
}

TEST_F(TlsRoundtripTest, ServerMustNameTheAmphoraId) {
    auto response = call(&client_, "another-amphora");
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, static_cast<int>(HttpsError::kTls));
}

TEST_F(TlsRoundtripTest, AnIpAddressNameMustBeAnIpSan) {
    auto named = call(&client_, "127.0.0.1");
    ASSERT_TRUE(named) << named.error().message;
    EXPECT_EQ(named->status, 200);
    auto other = call(&client_, "127.0.0.2");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().code, static_cast<int>(HttpsError::kTls));
}

TEST_F(TlsRoundtripTest, InsecureAcceptsAServerOfAnotherCa) {
    const std::string foreign_ca = (dir_ / "xca" / "ca.pem").string();
    auto checked = call(&client_, "", foreign_ca);
    ASSERT_FALSE(checked);
    EXPECT_EQ(checked.error().code, static_cast<int>(HttpsError::kTls));
    auto insecure = call(&client_, "", foreign_ca, false);
    ASSERT_TRUE(insecure) << insecure.error().message;
    EXPECT_EQ(insecure->status, 200);
}

TEST_F(TlsRoundtripTest, ClientWithoutCertificateIsRefused) {
    auto response = call(nullptr, kAmphora);
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, static_cast<int>(HttpsError::kTls))
        << response.error().message;
}

TEST_F(TlsRoundtripTest, ClientOfAForeignCaIsRefused) {
    auto response = call(&foreign_client_, kAmphora);
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, static_cast<int>(HttpsError::kTls))
        << response.error().message;
}

TEST_F(TlsRoundtripTest, NothingListeningIsAConnectError) {
    uint16_t port = server->port();
    server->stop();
    HttpsClientOptions options;
    options.ca_file = server_.ca_path;
    options.cert_file = client_.pem_path;
    auto https = HttpsClient::create(options);
    ASSERT_TRUE(https);
    HttpsRequest request;
    request.host = "127.0.0.1";
    request.port = port;
    auto response = https->request(request);
    ASSERT_FALSE(response);
    EXPECT_EQ(response.error().code, static_cast<int>(HttpsError::kConnect));
}

}  // namespace
}  // namespace octane::http
