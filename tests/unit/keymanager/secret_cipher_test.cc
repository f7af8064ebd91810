#include "keymanager/secret_cipher.h"

#include <filesystem>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace octane::keymanager {
namespace {

TEST(SecretCipherTest, RoundTripsAndNeverShowsThePlaintext) {
    SecretCipher cipher(std::string(SecretCipher::kKeyBytes, 'k'));
    const std::string plain = "-----BEGIN PRIVATE KEY-----\nsecret\0bytes";
    auto sealed = cipher.encrypt(plain);
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->find("PRIVATE KEY"), std::string::npos);
    auto again = cipher.encrypt(plain);
    ASSERT_TRUE(again);
    EXPECT_NE(*sealed, *again);  // a fresh nonce every time
    auto opened = cipher.decrypt(*sealed);
    ASSERT_TRUE(opened) << opened.error().message;
    EXPECT_EQ(*opened, plain);
}

TEST(SecretCipherTest, RefusesATamperedPayloadOrAnotherKey) {
    SecretCipher cipher(std::string(SecretCipher::kKeyBytes, 'k'));
    auto sealed = cipher.encrypt("payload");
    ASSERT_TRUE(sealed);
    std::string tampered = *sealed;
    tampered[14] ^= 1;
    EXPECT_FALSE(cipher.decrypt(tampered));
    EXPECT_FALSE(SecretCipher(std::string(SecretCipher::kKeyBytes, 'o')).decrypt(*sealed));
    EXPECT_FALSE(cipher.decrypt("short"));
}

TEST(SecretCipherTest, KeepsItsKeyInAPrivateFileAndReusesIt) {
    const auto dir =
        std::filesystem::temp_directory_path() / ("octane-km-" + std::to_string(getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    auto first = SecretCipher::open_or_create(dir.string());
    ASSERT_TRUE(first) << first.error().message;
    struct stat info {};
    ASSERT_EQ(stat((dir / "keymanager.key").c_str(), &info), 0);
    EXPECT_EQ(info.st_mode & 0777, 0600u);
    EXPECT_EQ(info.st_size, static_cast<off_t>(SecretCipher::kKeyBytes));
    auto sealed = first->encrypt("kept");
    ASSERT_TRUE(sealed);
    auto second = SecretCipher::open_or_create(dir.string());
    ASSERT_TRUE(second);
    auto opened = second->decrypt(*sealed);
    ASSERT_TRUE(opened);
    EXPECT_EQ(*opened, "kept");
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace octane::keymanager
