#pragma once

// Payloads at rest, as Barbican's simple_crypto plugin keeps them: encrypted with one key-
// encryption key that lives outside the database (<state dir>/keymanager.key, 0600), so a copy of
// octane.db alone reveals no secret. AES-256-GCM: a fresh 96-bit nonce per payload, and the tag
// makes a tampered row fail to decrypt instead of yielding garbage.

#include <string>

#include "common/result.h"

namespace octane::keymanager {

class SecretCipher {
  public:
    static constexpr size_t kKeyBytes = 32;

    // key must hold kKeyBytes bytes.
    explicit SecretCipher(std::string key) : key_(std::move(key)) {}

    // Reads <state_dir>/keymanager.key, or creates it with random bytes (mode 0600).
    static Result<SecretCipher> open_or_create(const std::string& state_dir);

    // nonce || ciphertext || tag.
    Result<std::string> encrypt(const std::string& plaintext) const;
    Result<std::string> decrypt(const std::string& sealed) const;

  private:
    std::string key_;
};

}  // namespace octane::keymanager
