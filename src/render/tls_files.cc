#include "render/tls_files.h"

#include <array>

#include <openssl/sha.h>

namespace octane::render {

std::string secret_file_name(std::string_view pem) {
    std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
    SHA1(reinterpret_cast<const unsigned char*>(pem.data()), pem.size(), digest.data());
    static constexpr char kHex[] = "0123456789abcdef";
    std::string name;
    for (unsigned char b : digest) {
        name += kHex[b >> 4];
        name += kHex[b & 15];
    }
    return name + ".pem";
}

std::string crt_list_text(std::string_view cert_dir_of_lb,
                          const std::vector<std::string>& cert_file_names) {
    std::string text;
    for (const std::string& name : cert_file_names) {
        text.append(cert_dir_of_lb).append("/").append(name).append("\n");
    }
    return text;
}

}  // namespace octane::render
