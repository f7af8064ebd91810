#pragma once

// ConfigView -> haproxy.cfg text, in Octavia's exact layout (blank lines, 4-space directives,
// 8-space `acl`). Every dynamic value goes through esc() here and nowhere else.

#include <string>
#include <vector>

#include "render/config_view.h"

namespace octane::render {

std::string emit(const ConfigView& view);

// Parts, exposed for emit_*.cc; each appends whole lines ending in '\n'.
void emit_frontend(const FrontendView& frontend, std::string& out);
void emit_backend(const BackendView& backend, std::string& out);
// " no-sslv3 no-tlsv10 ..." for every TLS version not in `allowed` (leading space included).
std::string no_tls_options(const std::vector<std::string>& allowed);

}  // namespace octane::render
