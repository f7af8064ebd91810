#include "keymanager/secret_cipher.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <unistd.h>

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

namespace {

Result<std::string> read_key(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string key((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (key.size() != SecretCipher::kKeyBytes) {
        return make_error(path + ": not a " + std::to_string(SecretCipher::kKeyBytes) +
                          "-byte key");
    }
    return key;
}

}  // namespace

Result<SecretCipher> SecretCipher::open_or_create(const std::string& state_dir) {
    const std::string path = (std::filesystem::path(state_dir) / "keymanager.key").string();
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        auto key = read_key(path);
        if (!key) {
            return Unexpected(key.error());
        }
        return SecretCipher(std::move(*key));
    }
    std::string key(kKeyBytes, '\0');
    if (RAND_bytes(bytes(key), kKeyBytes) != 1) {
        return make_error("keymanager: no random bytes for the key");
    }
    // `octane api` and `octane worker` may start together on a fresh state dir: the key is
    // published with link(2), which refuses to replace, so the loser reads the winner's key
    // instead of sealing with one nobody else has.
    const std::string draft = path + ".new-" + std::to_string(getpid());
    if (auto done = write_file_atomic(draft, key, 0600); !done) {
        return Unexpected(done.error());
    }
    const int linked = ::link(draft.c_str(), path.c_str());
    const int link_errno = errno;
    std::filesystem::remove(draft, ec);
    if (linked != 0 && link_errno != EEXIST) {
        return make_error(path + ": " + std::strerror(link_errno));
    }
    if (linked != 0) {
        auto existing = read_key(path);
        if (!existing) {
            return Unexpected(existing.error());
        }
        key = std::move(*existing);
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
