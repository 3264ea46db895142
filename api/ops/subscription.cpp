#include "api/ops/subscription.hpp"

#include "api/api_error.hpp"
#include "api/ops/pool_config_shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {

std::string subscription_device_id(const call& c) {
    const auto& device_id = c.param("DeviceId");
    check_length(device_id, "DeviceId", 1, 256);
    return device_id;
}

void require_subscribable_device(storage::read_view& v, const storage::dataset_id& id, const std::string& device_id) {
    auto d = v.find_device(id.pool, id.identity, device_id);
    if (!d) throw api_error(error_code::resource_not_found, "Device not found: " + device_id);
    require_push_platform(v.load_pool_config(id.pool), d->platform);
}

}  // namespace cogsync::api::ops
