#pragma once

// Shared by the transform_*.cc files: the context of one transform() call. Internal to render/.

#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "render/config_view.h"
#include "render/input_model.h"
#include "render/render_context.h"

namespace octane::render {

struct TransformEnv {
    const LoadBalancerInput& lb;
    const RenderContext& ctx;
    std::string cert_dir;                        // <cert_dir>/<lb_id>
    std::string peers_name;                      // non-empty for ACTIVE_STANDBY
    bool http_reuse = false;                     // haproxy >= 1.6
    bool pool_alpn = false;                      // haproxy >= 1.9
    bool prometheus = false;                     // haproxy >= 2
    bool insecure_fork = false;                  // haproxy >= 2.2
    std::vector<std::string>* errors = nullptr;  // collected, reported together

    // Records an error unless `value` is one haproxy word; returns the value unchanged.
    const std::string& word(const std::string& value, std::string_view what) const;
    // Path of an uploaded secret, or records an error when the controller gave no file for it.
    std::string secret_path(const std::string& ref, std::string_view what) const;
    const PoolInput* find_pool(const std::string& id) const;
};

bool is_pending_delete(const std::string& provisioning_status);
std::string listener_mode(const std::string& protocol);  // empty for unknown
bool listener_tls_enabled(const ListenerInput& listener);
long long listener_maxconn(const ListenerInput& listener, const RenderContext& ctx);
// Pools the listener uses: default pool, then redirect pools of enabled policies with rules.
std::vector<const PoolInput*> listener_pools(const ListenerInput& listener,
                                             const TransformEnv& env);

// The listener's policies in position order (stable for equal positions).
std::vector<const L7PolicyInput*> policies_by_position(const ListenerInput& listener);

BackendView transform_backend(const ListenerInput& listener, const PoolInput& pool,
                              const TransformEnv& env);
std::vector<PolicyView> transform_policies(const ListenerInput& listener, const TransformEnv& env);

}  // namespace octane::render
