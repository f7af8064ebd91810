#include "keymanager/barbican_rules.h"

#include <gtest/gtest.h>

namespace octane::keymanager {
namespace {

using nlohmann::json;

TEST(BarbicanRulesTest, Base64RoundTripsEveryLength) {
    std::string bytes;
    for (int i = 0; i < 40; ++i) {
        EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << i;
        bytes.push_back(static_cast<char>(i * 37));
    }
    EXPECT_EQ(base64_encode("Man"), "TWFu");
    EXPECT_EQ(base64_decode("TWE=\n"), "Ma");
    EXPECT_FALSE(base64_decode("T!Fu"));
    EXPECT_FALSE(base64_decode("TW=u"));
}

TEST(BarbicanRulesTest, NormalizesContentTypesAsBarbican) {
    EXPECT_EQ(normalize_content_type("text/plain; charset=utf-8"), "text/plain");
    EXPECT_EQ(normalize_content_type("TEXT/PLAIN"), "text/plain");
    EXPECT_TRUE(supported_content_type("application/octet-stream"));
    EXPECT_TRUE(supported_content_type("application/pkcs8"));
    EXPECT_FALSE(supported_content_type("text/plain; charset=latin1"));
    EXPECT_FALSE(supported_content_type("application/pkix-cert"));
}

TEST(BarbicanRulesTest, ParsesABase64PayloadAndKeepsMetadata) {
    auto secret = parse_new_secret(json{{"name", " tls "},
                                        {"payload", "TWFu"},
                                        {"payload_content_type", "application/octet-stream"},
                                        {"payload_content_encoding", "base64"},
                                        {"secret_type", "certificate"},
                                        {"bit_length", 256}});
    ASSERT_TRUE(secret) << secret.error().description;
    EXPECT_EQ(secret->name, "tls");
    EXPECT_EQ(secret->payload, "Man");
    EXPECT_EQ(secret->secret_type, "certificate");
    EXPECT_EQ(secret->bit_length, 256);
    auto metadata_only = parse_new_secret(json{{"name", "later"}});
    ASSERT_TRUE(metadata_only);
    EXPECT_FALSE(metadata_only->payload);
}

TEST(BarbicanRulesTest, RefusesBadSecretsInBarbicansWords) {
    auto no_type = parse_new_secret(json{{"payload", "x"}});
    ASSERT_FALSE(no_type);
    EXPECT_EQ(no_type.error().description,
              "Secret creation issue seen - Provided object does not match schema 'Secret': If "
              "'payload' is supplied, 'payload_content_type' must also be supplied.. Invalid "
              "property: 'payload_content_type'.");
    auto text_base64 = parse_new_secret(json{{"payload", "x"},
                                             {"payload_content_type", "text/plain"},
                                             {"payload_content_encoding", "base64"}});
    ASSERT_FALSE(text_base64);
    EXPECT_EQ(text_base64.error().status, 400);
    auto bad_base64 = parse_new_secret(json{{"payload", "***"},
                                            {"payload_content_type", "application/octet-stream"},
                                            {"payload_content_encoding", "base64"}});
    ASSERT_FALSE(bad_base64);
    EXPECT_NE(bad_base64.error().description.find("Invalid payload for payload_content_encoding"),
              std::string::npos);
    auto big = parse_new_secret(json{{"payload", std::string(kMaxSecretBytes + 1, 'a')},
                                     {"payload_content_type", "text/plain"}});
    ASSERT_FALSE(big);
    EXPECT_EQ(big.error().status, 413);
    EXPECT_EQ(big.error().description,
              "Secret creation issue seen - Provided information too large to process.");
    EXPECT_TRUE(parse_new_secret(json{{"payload", std::string(kMaxSecretBytes, 'a')},
                                      {"payload_content_type", "text/plain"}}));
    EXPECT_FALSE(parse_new_secret(json{{"payload_content_type", "text/plain"}}));
    EXPECT_FALSE(parse_new_secret(json{{"payload", "x"}, {"payload_content_type", "image/png"}}));
    EXPECT_FALSE(parse_new_secret(json{{"secret_type", "magic"}}));
}

TEST(BarbicanRulesTest, CertificateContainersNeedACertificateAndKnownNames) {
    const std::string base = "http://h/key-manager/v1/secrets/";
    const std::string a = "11111111-1111-1111-1111-111111111111";
    const std::string b = "22222222-2222-2222-2222-222222222222";
    auto ok = parse_new_container(json{{"type", "certificate"},
                                       {"name", "c"},
                                       {"secret_refs",
                                        {{{"name", "certificate"}, {"secret_ref", base + a}},
                                         {{"name", "private_key"}, {"secret_ref", base + b}}}}},
                                  base);
    ASSERT_TRUE(ok) << ok.error().description;
    EXPECT_EQ(ok->secret_refs.size(), 2u);
    EXPECT_EQ(ok->secret_refs[1].secret_id, b);
    auto no_cert = parse_new_container(
        json{{"type", "certificate"},
             {"secret_refs", {{{"name", "private_key"}, {"secret_ref", base + b}}}}},
        base);
    ASSERT_FALSE(no_cert);
    EXPECT_NE(no_cert.error().description.find("The minimum required reference name is "
                                               "'certificate' for Certificate type"),
              std::string::npos);
    EXPECT_FALSE(parse_new_container(json{{"type", "certificate"},
                                          {"secret_refs",
                                           {{{"name", "certificate"}, {"secret_ref", base + a}},
                                            {{"name", "other"}, {"secret_ref", base + b}}}}},
                                     base));
    EXPECT_FALSE(parse_new_container(json{{"type", "generic"},
                                          {"secret_refs",
                                           {{{"name", "x"}, {"secret_ref", base + a}},
                                            {{"name", "y"}, {"secret_ref", base + a}}}}},
                                     base));
    EXPECT_FALSE(parse_new_container(
        json{{"type", "generic"},
             {"secret_refs", {{{"name", "x"}, {"secret_ref", "http://evil/v1/secrets/" + a}}}}},
        base));
    EXPECT_FALSE(parse_new_container(json{{"type", "box"}}, base));
}

TEST(BarbicanRulesTest, AclPutReplacesAndPatchKeeps) {
    Acl current;
    current.exists = true;
    current.project_access = false;
    current.users = {"u1"};
    auto put = parse_acl(json{{"read", {{"users", {"u2", "u2"}}}}}, current, false, "op");
    ASSERT_TRUE(put);
    EXPECT_TRUE(put->project_access);
    EXPECT_EQ(put->users, std::vector<std::string>{"u2"});
    auto patch = parse_acl(json{{"read", {{"users", {"u3"}}}}}, current, true, "op");
    ASSERT_TRUE(patch);
    EXPECT_FALSE(patch->project_access);
    EXPECT_EQ(patch->users, std::vector<std::string>{"u3"});
    EXPECT_FALSE(parse_acl(json{{"write", json::object()}}, current, false, "op"));
    EXPECT_FALSE(parse_acl(json{{"read", {{"project-access", "yes"}}}}, current, false, "op"));
}

TEST(BarbicanRulesTest, PolicyKeepsProjectsApartAndHonoursAcls) {
    const Subject owner{"alice", "p1", {"member"}};
    const Subject colleague{"bob", "p1", {"member"}};
    const Subject reader{"carol", "p1", {"reader"}};
    const Subject stranger{"mallory", "p2", {"member"}};
    const Subject other_admin{"root", "p2", {"admin"}};
    Target target{"p1", "alice", {}};
    EXPECT_TRUE(allowed(Action::kCreate, owner, nullptr, false));
    EXPECT_FALSE(allowed(Action::kCreate, reader, nullptr, false));
    EXPECT_TRUE(allowed(Action::kDecrypt, owner, &target, false));
    EXPECT_TRUE(allowed(Action::kDecrypt, colleague, &target, false));
    EXPECT_FALSE(allowed(Action::kDecrypt, reader, &target, false));
    EXPECT_FALSE(allowed(Action::kDecrypt, stranger, &target, false));
    EXPECT_FALSE(allowed(Action::kGet, stranger, &target, false));
    EXPECT_FALSE(allowed(Action::kDelete, stranger, &target, false));
    // Barbican lets an admin of any project see a secret's metadata, never its payload.
    EXPECT_TRUE(allowed(Action::kGet, other_admin, &target, false));
    EXPECT_FALSE(allowed(Action::kDecrypt, other_admin, &target, false));
    EXPECT_FALSE(allowed(Action::kGet, other_admin, &target, true));
    // A private ACL: only the creator (and the project's admin) and the listed users.
    target.read = Acl{true, false, {"mallory"}};
    EXPECT_TRUE(allowed(Action::kDecrypt, owner, &target, false));
    EXPECT_FALSE(allowed(Action::kDecrypt, colleague, &target, false));
    EXPECT_TRUE(allowed(Action::kDecrypt, stranger, &target, false));
    EXPECT_FALSE(allowed(Action::kDelete, stranger, &target, false));
    EXPECT_FALSE(allowed(Action::kAcl, stranger, &target, false));
}

}  // namespace
}  // namespace octane::keymanager
