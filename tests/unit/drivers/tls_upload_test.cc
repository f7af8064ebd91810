#include "drivers/tls_upload.h"

#include <map>

#include <gtest/gtest.h>

#include "render/tls_files.h"

namespace octane::drivers {
namespace {

using nlohmann::json;

struct Fake {
    std::map<std::string, std::string> stored;
    std::vector<std::string> asked;

    TlsSource source() {
        return [this](const std::string& project, const std::string& ref,
                      bool bundle) -> Result<std::string> {
            asked.push_back(project + " " + ref + (bundle ? " bundle" : " secret"));
            if (ref == "missing") {
                return make_error("not found");
            }
            return "PEM of " + ref;
        };
    }
    CertificatePut put() {
        return [this](const std::string& name, const std::string& pem) -> Result<void> {
            stored[name] = pem;
            return {};
        };
    }
};

TEST(TlsUploadTest, ShipsListenerCertificatesTheirCrtListAndEverySecret) {
    Fake fake;
    render::RenderContext ctx;
    const json lb = {
        {"project_id", "p1"},
        {"listeners",
         {{{"id", "l1"},
           {"default_tls_container_ref", "default"},
           {"sni_container_refs", {"sni"}},
           {"client_ca_tls_container_ref", "ca"},
           {"client_crl_container_ref", nullptr}},
          {{"id", "plain"}, {"sni_container_refs", json::array()}}}},
        {"pools",
         {{{"id", "p"}, {"tls_container_ref", "client"}, {"ca_tls_container_ref", "pca"}}}}};
    auto done = upload_tls_files(fake.source(), lb, "/certs/lb", ctx, fake.put());
    ASSERT_TRUE(done) << done.error().message;
    const std::string default_name = render::secret_file_name("PEM of default");
    const std::string sni_name = render::secret_file_name("PEM of sni");
    EXPECT_EQ(fake.stored.at(default_name), "PEM of default");
    EXPECT_EQ(fake.stored.at("l1.pem"),
              "/certs/lb/" + default_name + "\n/certs/lb/" + sni_name + "\n");
    EXPECT_EQ(fake.stored.count("plain.pem"), 0u);
    EXPECT_EQ(fake.asked,
              (std::vector<std::string>{"p1 default bundle", "p1 sni bundle", "p1 ca secret",
                                        "p1 client bundle", "p1 pca secret"}));
    ASSERT_EQ(ctx.secret_files.size(), 3u);
    EXPECT_EQ(ctx.secret_files[0],
              std::make_pair(std::string("ca"), render::secret_file_name("PEM of ca")));
}

TEST(TlsUploadTest, AnUnreadableRefStopsBeforeTheConfiguration) {
    Fake fake;
    render::RenderContext ctx;
    const json lb = {{"project_id", "p1"},
                     {"listeners", {{{"id", "l1"}, {"default_tls_container_ref", "missing"}}}}};
    auto done = upload_tls_files(fake.source(), lb, "/certs/lb", ctx, fake.put());
    ASSERT_FALSE(done);
    EXPECT_NE(done.error().message.find("missing"), std::string::npos);
    EXPECT_TRUE(fake.stored.empty());
}

}  // namespace
}  // namespace octane::drivers
