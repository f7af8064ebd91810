#include "identity/password_hash.h"

#include <set>

#include <gtest/gtest.h>

namespace octane::identity {
namespace {

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
    std::string stored = hash_password("s3cret", 1000);
    EXPECT_TRUE(verify_password("s3cret", stored));
    EXPECT_FALSE(verify_password("s3cret ", stored));
    EXPECT_FALSE(verify_password("", stored));
    EXPECT_FALSE(verify_password("S3cret", stored));
}

TEST(PasswordHash, IsSaltedAndHasTheDocumentedFormat) {
    std::string a = hash_password("same", 1000);
    std::string b = hash_password("same", 1000);
    EXPECT_NE(a, b);  // different salts
    EXPECT_EQ(a.rfind("pbkdf2-sha256$1000$", 0), 0u);
    EXPECT_EQ(a.size(), std::string("pbkdf2-sha256$1000$").size() + 32 + 1 + 64);
    EXPECT_TRUE(verify_password("same", b));
}

TEST(PasswordHash, RejectsMalformedStoredValues) {
    for (const char* stored :
         {"", "plain", "pbkdf2-sha256$1000$zz$00", "md5$1$00$00", "pbkdf2-sha256$$00$00",
          "pbkdf2-sha256$-5$0011$0011", "pbkdf2-sha256$1000$0011$0011"}) {
        EXPECT_FALSE(verify_password("x", stored)) << stored;
    }
}

TEST(Tokens, AreRandomHexOf32BytesAndStoredAsDigest) {
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        std::string token = new_token();
        EXPECT_EQ(token.size(), 64u);
        EXPECT_TRUE(seen.insert(token).second);
        std::string digest = token_digest(token);
        EXPECT_EQ(digest.size(), 64u);
        EXPECT_NE(digest, token);
        EXPECT_EQ(digest, token_digest(token));
    }
    // SHA-256("abc")
    EXPECT_EQ(token_digest("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace octane::identity
