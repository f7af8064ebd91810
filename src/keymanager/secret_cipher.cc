#include "keymanager/secret_cipher.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/file_util.h"

namespace octane::keymanager {
namespace {

constexpr int kNonceBytes = 12;
constexpr int kTagBytes = 16;

struct CtxFree {
    void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
using CtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CtxFree>;

const unsigned char* bytes(const std::string& s) {
    return reinterpret_cast<const unsigned char*>(s.data());
}
unsigned char* bytes(std::string& s) {
    return reinterpret_cast<unsigned char*>(s.data());
}

}  // namespace

Result<SecretCipher> SecretCipher::open_or_create(const std::string& state_dir) {
    const std::string path = (std::filesystem::path(state_dir) / "keymanager.key").string();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        std::ifstream in(path, std::ios::binary);
        std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (key.size() != kKeyBytes) {
            return make_error(path + ": not a " + std::to_string(kKeyBytes) + "-byte key");
        }
        return SecretCipher(std::move(key));
    }
    std::string key(kKeyBytes, '\0');
    if (RAND_bytes(bytes(key), kKeyBytes) != 1) {
        return make_error("keymanager: no random bytes for the key");
    }
    if (auto done = write_file_atomic(path, key, 0600); !done) {
        return Unexpected(done.error());
    }
    return SecretCipher(std::move(key));
}

Result<std::string> SecretCipher::encrypt(const std::string& plaintext) const {
    std::string out(kNonceBytes + plaintext.size() + kTagBytes, '\0');
    if (RAND_bytes(bytes(out), kNonceBytes) != 1) {
        return make_error("keymanager: no random bytes for the nonce");
    }
    CtxPtr ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    unsigned char* body = bytes(out) + kNonceBytes;
    if (!ctx ||
        EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(out)) != 1 ||
        EVP_EncryptUpdate(ctx.get(), body, &len, bytes(plaintext),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), body + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, body + plaintext.size()) !=
            1) {
        return make_error("keymanager: encryption failed");
    }
    return out;
}

Result<std::string> SecretCipher::decrypt(const std::string& sealed) const {
    if (sealed.size() < static_cast<size_t>(kNonceBytes + kTagBytes)) {
        return make_error("keymanager: stored payload too short");
    }
    const size_t size = sealed.size() - kNonceBytes - kTagBytes;
    std::string out(size, '\0');
    std::string tag = sealed.substr(kNonceBytes + size);
    CtxPtr ctx(EVP_CIPHER_CTX_new());
    int len = 0;
    if (!ctx ||
        EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, bytes(key_), bytes(sealed)) !=
            1 ||
        EVP_DecryptUpdate(ctx.get(), bytes(out), &len, bytes(sealed) + kNonceBytes,
                          static_cast<int>(size)) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, bytes(tag)) != 1 ||
        EVP_DecryptFinal_ex(ctx.get(), bytes(out) + len, &len) != 1) {
        return make_error("keymanager: stored payload does not decrypt with this key");
    }
    return out;
}

}  // namespace octane::keymanager
