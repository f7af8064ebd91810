#pragma once

// Secrets of the built-in identity service: salted PBKDF2-HMAC-SHA256 password hashes and random
// bearer tokens, of which only a SHA-256 digest is stored. OpenSSL does the cryptography.

#include <cstdint>
#include <string>
#include <string_view>

namespace octane::identity {

constexpr int kDefaultPbkdf2Iterations = 60000;

// "pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>" with a 16-byte random salt.
std::string hash_password(std::string_view password, int iterations = kDefaultPbkdf2Iterations);

// Recomputes the hash with the stored salt and iterations; constant-time comparison.
bool verify_password(std::string_view password, std::string_view stored);

// A well-formed stored hash that matches no password, with the default iteration count: verifying
// against it costs what checking a real user costs, so an unknown user name takes as long as a
// wrong password (no user enumeration by timing).
std::string_view absent_user_hash();

// PBKDF2 derivations run by this process so far: what authentication costs, observable.
uint64_t pbkdf2_runs();

// `bytes` random bytes from the OpenSSL CSPRNG as lowercase hex.
std::string random_hex(size_t bytes);

// A new bearer token: 32 random bytes, URL-safe (hex).
std::string new_token();

// What the database keeps of a token: its SHA-256 as hex.
std::string token_digest(std::string_view token);

}  // namespace octane::identity
