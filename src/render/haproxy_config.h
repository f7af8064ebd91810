#pragma once

// The renderer's entry point: a load balancer graph (Octavia API object shapes, see
// input_model.h / input_parse.h) -> the haproxy.cfg Octavia's amphora driver would upload for it.
// Pure: no I/O, no clock, no globals. Same input, same bytes.

#include <string>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "render/input_model.h"
#include "render/render_context.h"

namespace octane::render {

Result<std::string> render_haproxy_cfg(const nlohmann::json& load_balancer,
                                       const RenderContext& ctx);
Result<std::string> render_haproxy_cfg(const LoadBalancerInput& load_balancer,
                                       const RenderContext& ctx);

}  // namespace octane::render
