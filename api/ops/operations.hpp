#pragma once
// One handler per model operation; each lives in api/ops/<operation>.cpp.
#include "api/call.hpp"
#include "api/context.hpp"
#include "api/request.hpp"

namespace cogsync::api::ops {

response list_records(const call& c, context& ctx);
response update_records(const call& c, context& ctx);
response describe_dataset(const call& c, context& ctx);
response delete_dataset(const call& c, context& ctx);
response list_datasets(const call& c, context& ctx);
response describe_identity_usage(const call& c, context& ctx);
response describe_identity_pool_usage(const call& c, context& ctx);
response list_identity_pool_usage(const call& c, context& ctx);

// Push sync, Cognito Streams and Cognito Events (PROTOCOL.md 7).
response bulk_publish(const call& c, context& ctx);
response get_bulk_publish_details(const call& c, context& ctx);
response get_cognito_events(const call& c, context& ctx);
response set_cognito_events(const call& c, context& ctx);
response get_identity_pool_configuration(const call& c, context& ctx);
response set_identity_pool_configuration(const call& c, context& ctx);
response register_device(const call& c, context& ctx);
response subscribe_to_dataset(const call& c, context& ctx);
response unsubscribe_from_dataset(const call& c, context& ctx);

}  // namespace cogsync::api::ops
