// SubscribeToDataset (PROTOCOL.md 7.1). Identity credentials only (route table). Unknown or
// foreign DeviceId → 404; push no longer configured for the device's platform → 400
// InvalidConfigurationException; a dataset never written → 404 (the [DG] tells iOS developers to
// synchronize each dataset once before subscribeAll). A deleted dataset may be subscribed to:
// subscriptions are kept per dataset name and outlive DeleteDataset. Idempotent. Answers {}.
// A new subscription beyond --max-subscriptions per dataset is 400 LimitExceededException; one
// that already exists is answered {} again.
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/ops/subscription.hpp"
#include "api/write_then.hpp"

namespace cogsync::api::ops {

step subscribe_to_dataset(const call& c, context& ctx) {
    auto id = dataset_id_of(c);
    auto device_id = subscription_device_id(c);
    auto max_subscriptions = ctx.push.max_subscriptions;
    return write_then([id, device_id, max_subscriptions](storage::write_view& v) {
        v.lock_identity(id.pool, id.identity);
        require_subscribable_device(v, id, device_id);
        if (v.load_dataset(id).state == storage::dataset_state::absent)
            throw api_error(error_code::resource_not_found, "Dataset not found.");
        if (v.is_subscribed(id, device_id)) return true;
        if (v.subscriber_count(id) >= max_subscriptions)
            throw api_error(error_code::limit_exceeded, "The number of subscriptions exceeds the limit of " +
                                                            std::to_string(max_subscriptions) + ".");
        v.subscribe(id, device_id);
        return true;
    }, []() -> step { return response{200, {}, "{}"}; });
}

}  // namespace cogsync::api::ops
