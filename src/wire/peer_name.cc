#include "wire/peer_name.h"

#include <array>

#include <openssl/sha.h>

namespace octane::wire {

std::string peer_name(std::string_view amphora_id) {
    std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
    SHA1(reinterpret_cast<const unsigned char*>(amphora_id.data()), amphora_id.size(),
         digest.data());
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    std::string out;
    size_t i = 0;
    for (; i + 3 <= digest.size(); i += 3) {
        unsigned v = (digest[i] << 16) | (digest[i + 1] << 8) | digest[i + 2];
        out += kAlphabet[(v >> 18) & 63];
        out += kAlphabet[(v >> 12) & 63];
        out += kAlphabet[(v >> 6) & 63];
        out += kAlphabet[v & 63];
    }
    // 20 bytes = 6 full groups + 2 bytes: three characters, the `=` padding dropped.
    unsigned v = (digest[i] << 16) | (digest[i + 1] << 8);
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += kAlphabet[(v >> 6) & 63];
    return out;
}

}  // namespace octane::wire
