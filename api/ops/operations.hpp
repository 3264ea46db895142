#pragma once
// One handler per model operation; each lives in api/ops/<operation>.cpp.
#include "api/call.hpp"
#include "api/context.hpp"
#include "api/request.hpp"
#include "api/step.hpp"

namespace cogsync::api::ops {

step list_records(const call& c, context& ctx);
step update_records(const call& c, context& ctx);
step describe_dataset(const call& c, context& ctx);
step delete_dataset(const call& c, context& ctx);
step list_datasets(const call& c, context& ctx);
step describe_identity_usage(const call& c, context& ctx);
step describe_identity_pool_usage(const call& c, context& ctx);
step list_identity_pool_usage(const call& c, context& ctx);

// Push sync, Cognito Streams and Cognito Events (PROTOCOL.md 7).
step bulk_publish(const call& c, context& ctx);
step get_bulk_publish_details(const call& c, context& ctx);
step get_cognito_events(const call& c, context& ctx);
step set_cognito_events(const call& c, context& ctx);
step get_identity_pool_configuration(const call& c, context& ctx);
step set_identity_pool_configuration(const call& c, context& ctx);
step register_device(const call& c, context& ctx);
step subscribe_to_dataset(const call& c, context& ctx);
step unsubscribe_from_dataset(const call& c, context& ctx);

}  // namespace cogsync::api::ops
