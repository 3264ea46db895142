#pragma once
// What SubscribeToDataset and UnsubscribeFromDataset share (PROTOCOL.md 7.1).
#include <string>

#include "api/call.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api::ops {

// Validates the path (ids, DeviceId 1..256) and returns the DeviceId.
std::string subscription_device_id(const call& c);

// Inside the caller's transaction: 404 ResourceNotFoundException unless the device is registered
// to this pool and identity; then 400 InvalidConfigurationException unless push sync is still
// configured for the device's platform.
void require_subscribable_device(storage::read_view& v, const storage::dataset_id& id, const std::string& device_id);

}  // namespace cogsync::api::ops
