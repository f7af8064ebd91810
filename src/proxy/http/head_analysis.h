#pragma once

// The semantic pass over a complete head: message framing (RFC 9112 §6.3), connection persistence,
// Expect and Upgrade, and the smuggling checks. Split from the byte-level parser so each stays
// small and the framing rules can be read in one place.

#include <string_view>

#include "common/result.h"
#include "proxy/http/http_error.h"
#include "proxy/http/http_message.h"
#include "proxy/http/http_parser.h"

namespace octane::proxy::http {

// Fills head.body / content_length / keep_alive / expect_continue / upgrade_requested / interim /
// switch_to_tunnel / drop_content_length from head.headers. `request_method` only matters for
// responses. Returns the reason the message must be refused, if any.
Result<void, HttpErrc> analyze_head(MessageKind kind, std::string_view buffer,
                                    Method request_method, const ParserLimits& limits,
                                    MessageHead& head);

}  // namespace octane::proxy::http
