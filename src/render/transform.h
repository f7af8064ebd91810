#pragma once

// LoadBalancerInput + RenderContext -> ConfigView: every decision of the renderer (what is omitted,
// which options apply) and no text. Pure.

#include "common/result.h"
#include "render/config_view.h"
#include "render/input_model.h"
#include "render/render_context.h"

namespace octane::render {

// Omits UDP/SCTP listeners (keepalived's job), PENDING_DELETE objects, admin-down listeners, pools,
// policies and rules; an admin-down load balancer keeps only global/defaults. Fails when a value
// that must be one haproxy word (id, address, URL, cipher string, cookie or header name, HM path)
// holds whitespace or control characters, when a TLS reference has no file in
// ctx.secret_files, or on an unknown protocol or invalid expected_codes.
Result<ConfigView> transform(const LoadBalancerInput& lb, const RenderContext& ctx);

}  // namespace octane::render
