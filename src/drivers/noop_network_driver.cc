#include "drivers/noop_network_driver.h"

#include "common/uuid.h"

namespace octane::drivers {

Result<Vip, NetworkError> NoopNetworkDriver::allocate_vip(const VipRequest& request) {
    Vip vip;
    vip.port_id = request.port_id.value_or(make_name_uuid("vip-port:" + request.load_balancer_id));
    if (request.subnet_id) {
        vip.subnet_id = *request.subnet_id;
    } else {
        vip.subnet_id = make_name_uuid("subnet-of:" + request.network_id.value_or(vip.port_id));
    }
    vip.network_id = request.network_id.value_or(make_name_uuid("network-of:" + vip.subnet_id));
    // The reference noop driver hands every VIP the same documentation address.
    vip.address = request.address.value_or("198.51.100.1");
    for (const auto& extra : request.additional) {
        vip.additional.push_back(
            {extra.subnet_id, extra.address.value_or(vip.address), extra.port_id});
    }
    return vip;
}

Result<void> NoopNetworkDriver::deallocate_vip(const std::string&, const Vip&) {
    return {};
}

}  // namespace octane::drivers
