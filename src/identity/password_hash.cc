#include "identity/password_hash.h"

#include <atomic>
#include <stdexcept>
#include <vector>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include "common/strings.h"

namespace octane::identity {
namespace {

constexpr size_t kSaltBytes = 16;
constexpr size_t kHashBytes = 32;

std::atomic<uint64_t> derivations{0};

std::string to_hex(const unsigned char* data, size_t size) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (size_t i = 0; i < size; ++i) {
        out.push_back(kDigits[data[i] >> 4]);
        out.push_back(kDigits[data[i] & 0xf]);
    }
    return out;
}

bool from_hex(std::string_view text, std::vector<unsigned char>& out) {
    if (text.size() % 2 != 0) {
        return false;
    }
    auto nibble = [](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        return -1;
    };
    out.clear();
    for (size_t i = 0; i < text.size(); i += 2) {
        int hi = nibble(text[i]);
        int lo = nibble(text[i + 1]);
        if (hi < 0 || lo < 0) {
            return false;
        }
        out.push_back(static_cast<unsigned char>(hi * 16 + lo));
    }
    return true;
}

std::vector<unsigned char> derive(std::string_view password, const std::vector<unsigned char>& salt,
                                  int iterations) {
    std::vector<unsigned char> key(kHashBytes);
    derivations.fetch_add(1, std::memory_order_relaxed);
    if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()), salt.data(),
                          static_cast<int>(salt.size()), iterations, EVP_sha256(),
                          static_cast<int>(key.size()), key.data()) != 1) {
        throw std::runtime_error("PKCS5_PBKDF2_HMAC failed");
    }
    return key;
}

}  // namespace

std::string random_hex(size_t bytes) {
    std::vector<unsigned char> buffer(bytes);
    if (RAND_bytes(buffer.data(), static_cast<int>(buffer.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    return to_hex(buffer.data(), buffer.size());
}

std::string hash_password(std::string_view password, int iterations) {
    std::vector<unsigned char> salt(kSaltBytes);
    if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
        throw std::runtime_error("RAND_bytes failed");
    }
    auto key = derive(password, salt, iterations);
    return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + to_hex(salt.data(), salt.size()) +
           "$" + to_hex(key.data(), key.size());
}

bool verify_password(std::string_view password, std::string_view stored) {
    auto parts = split(stored, '$');
    if (parts.size() != 4 || parts[0] != "pbkdf2-sha256") {
        return false;
    }
    int iterations = 0;
    for (char c : parts[1]) {
        if (c < '0' || c > '9' || iterations > 10'000'000) {
            return false;
        }
        iterations = iterations * 10 + (c - '0');
    }
    std::vector<unsigned char> salt, expected;
    if (iterations < 1 || !from_hex(parts[2], salt) || !from_hex(parts[3], expected) ||
        expected.size() != kHashBytes) {
        return false;
    }
    auto key = derive(password, salt, iterations);
    return CRYPTO_memcmp(key.data(), expected.data(), kHashBytes) == 0;
}

std::string_view absent_user_hash() {
    // The salt and digest are arbitrary fixed hex; only their shape and the iteration count matter.
    static const std::string kHash = "pbkdf2-sha256$" + std::to_string(kDefaultPbkdf2Iterations) +
                                     "$" + std::string(32, '0') + "$" + std::string(64, '0');
    return kHash;
}

uint64_t pbkdf2_runs() {
    return derivations.load(std::memory_order_relaxed);
}

std::string new_token() {
    return random_hex(32);
}

std::string token_digest(std::string_view token) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(token.data()), token.size(), digest);
    return to_hex(digest, sizeof(digest));
}

}  // namespace octane::identity
