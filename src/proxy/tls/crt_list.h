#pragma once

// A crt-list file as HAProxy reads it: one certificate per line, `<pem file> [<sni filter>...]`,
// blank lines and `#` comments ignored. A filter is a server name, a wildcard `*.example.com`, or
// a `!name` exclusion; a line without positive filters serves the names in its certificate (CN and
// DNS subjectAltNames). The first certificate is the default one, served to a client whose SNI
// matches nothing or that sends none. Octavia writes plain paths, default certificate first.
// Pure.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"

namespace octane::proxy::tls {

struct CrtListEntry {
    int line = 0;
    std::string file;
    std::vector<std::string> filters;     // as written, lowercased
    std::vector<std::string> exclusions;  // the `!name` filters, without '!', lowercased
};

// Errors name the line ("line 3: ..."). Per-line bind options (`file [ssl-options] ...`) are
// refused: not supported yet.
Result<std::vector<CrtListEntry>> parse_crt_list(std::string_view text);

}  // namespace octane::proxy::tls
