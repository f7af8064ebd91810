#include "common/uuid.h"
#include "drivers/amphora_driver.h"

namespace octane::drivers {

Result<AmphoraInfo> NoopAmphoraDriver::create_amphora(const std::string& amphora_id,
                                                      const nlohmann::json&,
                                                      const AmphoraRequest&) {
    // As the reference noop compute and network drivers: a fixed management address, invented
    // compute and VIP-network port ids (UUIDs, as clients check).
    AmphoraInfo info;
    info.id = amphora_id;
    info.compute_id = make_name_uuid("compute:" + amphora_id);
    info.vrrp_port_id = make_name_uuid("vrrp-port:" + amphora_id);
    info.lb_network_ip = "192.0.2.1";
    return info;
}

Result<void> NoopAmphoraDriver::apply(const AmphoraInfo&, const nlohmann::json&) {
    return {};
}

Result<void> NoopAmphoraDriver::delete_amphora(const AmphoraInfo&) {
    return {};
}

}  // namespace octane::drivers
