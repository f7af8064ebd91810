#include "common/uuid.h"

#include <array>
#include <cctype>
#include <cstdint>
#include <stdexcept>

#include <openssl/rand.h>
#include <openssl/sha.h>

namespace octane {
namespace {

std::string format_uuid(std::array<uint8_t, 16> bytes) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(36);
    for (size_t i = 0; i < bytes.size(); ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) {
            text.push_back('-');
        }
        text.push_back(kHex[bytes[i] >> 4]);
        text.push_back(kHex[bytes[i] & 0xf]);
    }
    return text;
}

}  // namespace

std::string make_uuid() {
    std::array<uint8_t, 16> bytes{};
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        // Entropy failure after start-up cannot be handled meaningfully.
        throw std::runtime_error("RAND_bytes failed");
    }
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x40);
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
    return format_uuid(bytes);
}

std::string make_name_uuid(std::string_view name) {
    std::array<uint8_t, SHA_DIGEST_LENGTH> digest{};
    SHA1(reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest.data());
    std::array<uint8_t, 16> bytes{};
    for (size_t i = 0; i < bytes.size(); ++i) {
        bytes[i] = digest[i];
    }
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0f) | 0x50);
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3f) | 0x80);
    return format_uuid(bytes);
}

bool is_uuid(std::string_view text) {
    auto all_hex = [](std::string_view s) {
        for (char c : s) {
            if (!std::isxdigit(static_cast<unsigned char>(c))) {
                return false;
            }
        }
        return true;
    };
    if (text.size() == 32) {
        return all_hex(text);
    }
    if (text.size() != 36) {
        return false;
    }
    for (size_t i : {8u, 13u, 18u, 23u}) {
        if (text[i] != '-') {
            return false;
        }
    }
    return all_hex(text.substr(0, 8)) && all_hex(text.substr(9, 4)) &&
           all_hex(text.substr(14, 4)) && all_hex(text.substr(19, 4)) && all_hex(text.substr(24));
}

}  // namespace octane
