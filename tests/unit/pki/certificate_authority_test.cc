#include "pki/certificate_authority.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pki/certificate_check.h"

namespace octane::pki {
namespace {

using std::chrono::hours;
using std::chrono::system_clock;

class CertificateAuthorityTest : public ::testing::Test {
  protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() /
               ("octane-pki-" + std::to_string(getpid()) + "-" +
                ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir_);
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    CertificateAuthority open(const std::string& sub = "ca") {
        auto ca = CertificateAuthority::open_or_create({.dir = (dir_ / sub).string()});
        EXPECT_TRUE(ca) << ca.error().message;
        return *ca;
    }

    std::filesystem::path dir_;
};

TEST_F(CertificateAuthorityTest, CreatesOnFirstUseWithPrivateKeyAndReopensTheSameCa) {
    auto first = open();
    struct stat info {};
    ASSERT_EQ(stat((dir_ / "ca" / "ca.key").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_TRUE(std::filesystem::exists(dir_ / "ca" / "ca.pem"));
    auto second = open();
    EXPECT_EQ(first.ca_cert_pem(), second.ca_cert_pem());
}

TEST_F(CertificateAuthorityTest, IncompleteCaDirectoryIsAnError) {
    open();
    std::filesystem::remove(dir_ / "ca" / "ca.key");
    auto ca = CertificateAuthority::open_or_create({.dir = (dir_ / "ca").string()});
    EXPECT_FALSE(ca);
}

TEST_F(CertificateAuthorityTest, AmphoraCertNamesTheIdAndChainsToTheCa) {
    auto ca = open();
    std::string id = "0b5c7a1e-3f55-4a4e-9d3b-6f1f0f6c2a11";
    auto files = ca.issue_amphora_cert(id, "127.0.0.5", hours(24), (dir_ / "certs").string());
    ASSERT_TRUE(files) << files.error().message;
    auto pem = read_text_file(files->cert_path);
    ASSERT_TRUE(pem);
    EXPECT_EQ(*certificate_common_name(*pem), id);
    EXPECT_TRUE(verify_certificate(*pem, ca.ca_cert_pem(), system_clock::now(), id));
    // The IP is in the SAN, but the controller checks the id: another name must fail.
    EXPECT_FALSE(verify_certificate(*pem, ca.ca_cert_pem(), system_clock::now(), "other-id"));
    auto not_after = certificate_not_after(*pem);
    ASSERT_TRUE(not_after);
    EXPECT_NEAR(std::chrono::duration<double>(*not_after - system_clock::now()).count(),
                24 * 3600.0, 5.0);
    EXPECT_EQ(files->not_after, *not_after);
    struct stat info {};
    ASSERT_EQ(stat(files->pem_path.c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    auto combined = read_text_file(files->pem_path);
    EXPECT_NE(combined->find("PRIVATE KEY"), std::string::npos);
    EXPECT_NE(combined->find("BEGIN CERTIFICATE"), std::string::npos);
}

TEST_F(CertificateAuthorityTest, ExpiredAndNotYetValidCertificatesAreRejected) {
    auto ca = open();
    CertRequest request{.common_name = "amp", .dns_names = {"amp"}, .validity = hours(1)};
    auto expired = ca.issue(request, system_clock::now() - hours(48));
    ASSERT_TRUE(expired);
    auto verdict = verify_certificate(expired->cert_pem, ca.ca_cert_pem(), system_clock::now());
    ASSERT_FALSE(verdict);
    EXPECT_NE(verdict.error().message.find("expired"), std::string::npos)
        << verdict.error().message;
    auto future = ca.issue(request, system_clock::now() + hours(48));
    EXPECT_FALSE(verify_certificate(future->cert_pem, ca.ca_cert_pem(), system_clock::now()));
}

TEST_F(CertificateAuthorityTest, CertificateOfAForeignCaIsRejected) {
    auto ours = open("ours");
    auto theirs = open("theirs");
    auto client = theirs.issue_client_cert("controller", hours(1), (dir_ / "c").string());
    ASSERT_TRUE(client);
    auto pem = read_text_file(client->cert_path);
    EXPECT_TRUE(verify_certificate(*pem, theirs.ca_cert_pem(), system_clock::now()));
    EXPECT_FALSE(verify_certificate(*pem, ours.ca_cert_pem(), system_clock::now()));
}

TEST_F(CertificateAuthorityTest, BadIpAddressIsRefused) {
    auto ca = open();
    CertRequest request{.common_name = "amp", .ip_addresses = {"not-an-ip"}};
    EXPECT_FALSE(ca.issue(request, system_clock::now()));
    request.ip_addresses = {"::1"};
    EXPECT_TRUE(ca.issue(request, system_clock::now()));
}

}  // namespace
}  // namespace octane::pki
