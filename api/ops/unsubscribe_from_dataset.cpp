// UnsubscribeFromDataset (PROTOCOL.md 7.1). Identity credentials only (route table). The same
// device and configuration checks as SubscribeToDataset; not subscribed → 404 (Android's
// CognitoSyncManager.unsubscribe swallows ResourceNotFoundException as "not a subscription").
// Answers {}.
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/ops/subscription.hpp"
#include "api/write_then.hpp"

namespace cogsync::api::ops {

step unsubscribe_from_dataset(const call& c, context& ctx) {
    auto id = dataset_id_of(c);
    auto device_id = subscription_device_id(c);
    return write_then([id, device_id](storage::write_view& v) {
        require_subscribable_device(v, id, device_id);
        if (!v.unsubscribe(id, device_id))
            throw api_error(error_code::resource_not_found, "Device " + device_id + " is not subscribed to " + id.name);
        return true;
    }, []() -> step { return response{200, {}, "{}"}; });
}

}  // namespace cogsync::api::ops
