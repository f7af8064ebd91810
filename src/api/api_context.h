#pragma once

// What every API handler needs, passed by reference from the service assembly (no globals).

#include <functional>
#include <string>

#include "common/clock.h"
#include "db/object_store.h"
#include "drivers/network_driver.h"

namespace octane::api {

struct ApiSettings {
    std::string auth_strategy = "noauth";
    int64_t pagination_max_limit = 1000;
    std::string api_base_uri;  // overrides the request's scheme://host in links when set
    std::string default_provider = "amphora";
    bool healthcheck_enabled = false;
};

struct ApiContext {
    db::Database& db;
    db::ObjectStore& store;
    drivers::NetworkDriver& network;
    const Clock& clock;
    ApiSettings settings;
    std::function<void()> notify_worker;  // wakes an in-process worker; may be empty

    std::string now() const { return format_timestamp(clock.now()); }
};

}  // namespace octane::api
