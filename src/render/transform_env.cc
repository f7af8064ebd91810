#include "render/transform_env.h"

#include <algorithm>

#include "render/escape.h"

namespace octane::render {

const std::string& TransformEnv::word(const std::string& value, std::string_view what) const {
    if (!is_single_word(value)) {
        errors->push_back(std::string(what) + " '" + value +
                          "' must be one word without whitespace or control characters");
    }
    return value;
}

std::string TransformEnv::secret_path(const std::string& ref, std::string_view what) const {
    for (const auto& [known, file] : ctx.secret_files) {
        if (known == ref) {
            return cert_dir + "/" + word(file, what);
        }
    }
    errors->push_back(std::string(what) + ": no uploaded file for " + ref);
    return "";
}

const PoolInput* TransformEnv::find_pool(const std::string& id) const {
    if (id.empty()) {
        return nullptr;
    }
    for (const PoolInput& pool : lb.pools) {
        if (pool.id == id) {
            return &pool;
        }
    }
    return nullptr;
}

bool is_pending_delete(const std::string& provisioning_status) {
    return provisioning_status == "PENDING_DELETE";
}

std::string listener_mode(const std::string& protocol) {
    if (protocol == "TCP" || protocol == "HTTPS") {
        return "tcp";
    }
    if (protocol == "HTTP" || protocol == "TERMINATED_HTTPS" || protocol == "PROMETHEUS") {
        return "http";
    }
    return "";
}

bool listener_tls_enabled(const ListenerInput& listener) {
    return listener.protocol == "TERMINATED_HTTPS" || listener.protocol == "PROMETHEUS";
}

long long listener_maxconn(const ListenerInput& listener, const RenderContext& ctx) {
    return listener.connection_limit > 0 ? listener.connection_limit : ctx.default_connection_limit;
}

std::vector<const PoolInput*> listener_pools(const ListenerInput& listener,
                                             const TransformEnv& env) {
    std::vector<const PoolInput*> pools;
    auto add = [&](const std::string& id) {
        const PoolInput* pool = env.find_pool(id);
        if (!pool || is_pending_delete(pool->provisioning_status)) {
            return;
        }
        for (const PoolInput* seen : pools) {
            if (seen == pool) {
                return;
            }
        }
        pools.push_back(pool);
    };
    add(listener.default_pool_id);
    for (const L7PolicyInput* p : policies_by_position(listener)) {
        if (p->action == "REDIRECT_TO_POOL" && p->admin_state_up && !p->rules.empty()) {
            add(p->redirect_pool_id);
        }
    }
    return pools;
}

std::vector<const L7PolicyInput*> policies_by_position(const ListenerInput& listener) {
    std::vector<const L7PolicyInput*> ordered;
    for (const L7PolicyInput& p : listener.l7policies) {
        ordered.push_back(&p);
    }
    std::stable_sort(
        ordered.begin(), ordered.end(),
        [](const L7PolicyInput* a, const L7PolicyInput* b) { return a->position < b->position; });
    return ordered;
}

}  // namespace octane::render
