#pragma once

// Which certificate of a TLS bind answers a client's SNI, as HAProxy picks it: an exact name
// first, then a wildcard `*.<domain>` covering one more label, else the default certificate
// (index 0). Names are compared case-insensitively; a certificate's exclusions (`!name` in the
// crt-list) veto it for that name. Pure.

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace octane::proxy::tls {

class CertSelector {
  public:
    // `names`: the crt-list filters, or the certificate's CN and DNS subjectAltNames.
    void add(int index, const std::vector<std::string>& names,
             const std::vector<std::string>& exclusions);
    int select(std::string_view server_name) const;

  private:
    struct Candidates {
        std::vector<int> indexes;  // in crt-list order: the first one not excluded wins
    };
    int first_allowed(const Candidates& c, const std::string& name) const;

    std::unordered_map<std::string, Candidates> exact_;
    std::unordered_map<std::string, Candidates> wildcard_;  // keyed by the domain after "*."
    std::unordered_map<int, std::vector<std::string>> exclusions_;
};

}  // namespace octane::proxy::tls
