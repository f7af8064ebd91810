#include "common/openssl_errors.h"

#include <openssl/err.h>

namespace octane {

std::string openssl_errors() {
    std::string out;
    while (unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        out += out.empty() ? "" : "; ";
        out += buffer;
    }
    return out.empty() ? "unknown OpenSSL error" : out;
}

}  // namespace octane
