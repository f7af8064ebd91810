#pragma once

// Names and contents of the TLS files the controller uploads next to haproxy.cfg
// (docs/amphora.md §1, what the controller sends), so that render, upload and
// RenderContext::secret_files agree. Pure.

#include <string>
#include <string_view>
#include <vector>

namespace octane::render {

// "<sha1 hex of the bytes>.pem": the file name of a secret (client CA, CRL, pool cert) and of each
// listener certificate (cert + key + intermediates as one PEM).
std::string secret_file_name(std::string_view pem);

// The crt-list haproxy reads for a TERMINATED_HTTPS listener, uploaded as "<listener_id>.pem":
// one full path per certificate, default certificate first, then the SNI ones, '\n'-terminated.
std::string crt_list_text(std::string_view cert_dir_of_lb,
                          const std::vector<std::string>& cert_file_names);

}  // namespace octane::render
