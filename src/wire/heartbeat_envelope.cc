#include "wire/heartbeat_envelope.h"

#include <array>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <zlib.h>

namespace octane::wire {
namespace {

constexpr size_t kHexDigest = 64;
constexpr size_t kRawDigest = 32;

Unexpected<Error> fail(HeartbeatError code, std::string message) {
    return make_error(std::move(message), static_cast<int>(code));
}

std::array<unsigned char, kRawDigest> hmac_sha256(std::string_view data, std::string_view key) {
    std::array<unsigned char, kRawDigest> digest{};
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest.data(), &len);
    return digest;
}

std::string to_hex(const std::array<unsigned char, kRawDigest>& digest) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : digest) {
        out += kHex[b >> 4];
        out += kHex[b & 15];
    }
    return out;
}

bool same(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

// The signed part of the datagram, or empty when no digest form verifies.
std::string_view verified_payload(std::string_view datagram, std::string_view key) {
    if (datagram.size() > kHexDigest) {
        std::string_view payload = datagram.substr(0, datagram.size() - kHexDigest);
        if (same(datagram.substr(payload.size()), to_hex(hmac_sha256(payload, key)))) {
            return payload;
        }
    }
    std::string_view payload = datagram.substr(0, datagram.size() - kRawDigest);
    auto digest = hmac_sha256(payload, key);
    std::string_view raw(reinterpret_cast<const char*>(digest.data()), digest.size());
    return same(datagram.substr(payload.size()), raw) ? payload : std::string_view();
}

Result<std::string> inflate_all(std::string_view compressed) {
    z_stream zs{};
    if (inflateInit(&zs) != Z_OK) {
        return fail(HeartbeatError::kBadZlib, "inflateInit failed");
    }
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    zs.avail_in = static_cast<uInt>(compressed.size());
    std::string out;
    std::array<char, 16384> chunk{};
    int rc = Z_OK;
    while (rc == Z_OK) {
        zs.next_out = reinterpret_cast<Bytef*>(chunk.data());
        zs.avail_out = static_cast<uInt>(chunk.size());
        rc = inflate(&zs, Z_NO_FLUSH);
        out.append(chunk.data(), chunk.size() - zs.avail_out);
        if (out.size() > kMaxInflated) {
            inflateEnd(&zs);
            return fail(HeartbeatError::kBadZlib, "payload inflates past the limit");
        }
        if (rc == Z_BUF_ERROR && zs.avail_in == 0) {
            break;  // input ended before the stream did
        }
    }
    bool complete = rc == Z_STREAM_END && zs.avail_in == 0;
    inflateEnd(&zs);
    if (!complete) {
        return fail(HeartbeatError::kBadZlib, "not one complete zlib stream");
    }
    return out;
}

}  // namespace

std::string seal_envelope(std::string_view json_bytes, std::string_view key) {
    uLongf size = compressBound(json_bytes.size());
    std::string out(size, '\0');
    compress2(reinterpret_cast<Bytef*>(out.data()), &size,
              reinterpret_cast<const Bytef*>(json_bytes.data()), json_bytes.size(), 9);
    out.resize(size);
    out += to_hex(hmac_sha256(out, key));
    return out;
}

Result<std::string> open_envelope(std::string_view datagram, std::string_view key) {
    if (datagram.size() > kMaxDatagram) {
        return fail(HeartbeatError::kOversized,
                    "datagram of " + std::to_string(datagram.size()) + " bytes exceeds 64 KiB");
    }
    if (datagram.size() <= kRawDigest) {
        return fail(HeartbeatError::kTruncated,
                    "datagram of " + std::to_string(datagram.size()) + " bytes is too short");
    }
    std::string_view payload = verified_payload(datagram, key);
    if (payload.empty()) {
        return fail(HeartbeatError::kBadHmac, "HMAC mismatch");
    }
    return inflate_all(payload);
}

std::string encode_heartbeat(const Heartbeat& heartbeat, std::string_view key) {
    std::string text =
        to_json(heartbeat).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return seal_envelope(text, key);
}

Result<Heartbeat> decode_heartbeat(std::string_view datagram, std::string_view key) {
    auto text = open_envelope(datagram, key);
    if (!text) {
        return Unexpected<Error>(text.error());
    }
    nlohmann::json payload = nlohmann::json::parse(*text, nullptr, false);
    if (payload.is_discarded()) {
        return fail(HeartbeatError::kBadJson, "payload is not JSON");
    }
    return heartbeat_from_json(payload);
}

}  // namespace octane::wire
