// Test helper: issues certificates from a pki::CertificateAuthority for the agent integration
// tests.
//   octane_pki_issue <ca_dir> server <amphora_id> <ip> <out_dir>
//   octane_pki_issue <ca_dir> client <common_name> <out_dir>
// Prints the combined PEM path.

#include <iostream>
#include <string>

#include "pki/certificate_authority.h"

int main(int argc, char** argv) {
    using namespace octane::pki;
    if (argc < 5) {
        std::cerr << "usage: octane_pki_issue <ca_dir> server|client <name> [ip] <out_dir>\n";
        return 2;
    }
    auto ca = CertificateAuthority::open_or_create({.dir = argv[1]});
    if (!ca) {
        std::cerr << ca.error().message << "\n";
        return 1;
    }
    std::string kind = argv[2];
    auto validity = std::chrono::hours(24);
    auto files = kind == "server" && argc >= 6
                     ? ca->issue_amphora_cert(argv[3], argv[4], validity, argv[5])
                     : ca->issue_client_cert(argv[3], validity, argv[4], argv[3]);
    if (!files) {
        std::cerr << files.error().message << "\n";
        return 1;
    }
    std::cout << files->pem_path << "\n";
    return 0;
}
