#pragma once

// What a TLS client connection tells the L7 rules (HAProxy's ssl_fc* / ssl_c_* sample fetches),
// read once per connection from OpenSSL by the session (proxy/tls/tls_facts.h). Plain strings so
// the rules stay free of OpenSSL.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace octane::proxy::http {

struct TlsFacts {
    std::string sni;         // ssl_fc_sni
    bool has_cert = false;   // ssl_c_used / ssl_fc_has_crt: the client presented a certificate
    long verify = 0;         // ssl_c_verify: X509 verification result, 0 = ok
    std::string s_dn, i_dn;  // ssl_c_s_dn / ssl_c_i_dn, "/C=../O=../CN=.." as HAProxy prints them
    std::vector<std::pair<std::string, std::string>> s_dn_entries;  // short name, value; in order
    std::string sha1_hex;               // ssl_c_sha1,hex (upper case, as HAProxy's hex)
    std::string not_before, not_after;  // ssl_c_notbefore / ssl_c_notafter: YYMMDDhhmmssZ

    // ssl_c_s_dn(<entry>): the entry's last occurrence (case-insensitive short name, "cn" = "CN"),
    // nullptr when absent.
    const std::string* s_dn_entry(std::string_view name) const {
        const std::string* found = nullptr;
        for (const auto& [key, value] : s_dn_entries) {
            if (key.size() == name.size() && equal_nocase(key, name)) {
                found = &value;
            }
        }
        return found;
    }

  private:
    static bool equal_nocase(std::string_view a, std::string_view b) {
        for (size_t i = 0; i < a.size(); ++i) {
            char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] + 32) : a[i];
            char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] + 32) : b[i];
            if (x != y) {
                return false;
            }
        }
        return true;
    }
};

}  // namespace octane::proxy::http
