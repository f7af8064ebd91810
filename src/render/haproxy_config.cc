#include "render/haproxy_config.h"

#include "render/emit.h"
#include "render/input_parse.h"
#include "render/transform.h"

namespace octane::render {

Result<std::string> render_haproxy_cfg(const nlohmann::json& load_balancer,
                                       const RenderContext& ctx) {
    auto input = parse_load_balancer(load_balancer);
    if (!input) {
        return make_error(input.error().message);
    }
    return render_haproxy_cfg(*input, ctx);
}

Result<std::string> render_haproxy_cfg(const LoadBalancerInput& load_balancer,
                                       const RenderContext& ctx) {
    auto view = transform(load_balancer, ctx);
    if (!view) {
        return make_error(view.error().message);
    }
    return emit(*view);
}

}  // namespace octane::render
