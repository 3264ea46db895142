// Operations of push sync, Cognito Streams and Cognito Events. Until they are served, each
// answers 400 UnsupportedOperationException naming itself, after validating its path ids the
// way the served operations do, so clients get a clear, parseable, non-retried error.
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {
namespace {

[[noreturn]] void unsupported(const call& c, const char* operation) {
    check_pool_id(c.param("IdentityPoolId"));
    throw api_error(error_code::unsupported_operation,
                    std::string(operation) + " is not supported by this server yet");
}

}  // namespace

response bulk_publish(const call& c, context&) { unsupported(c, "BulkPublish"); }
response get_bulk_publish_details(const call& c, context&) { unsupported(c, "GetBulkPublishDetails"); }
response get_cognito_events(const call& c, context&) { unsupported(c, "GetCognitoEvents"); }
response set_cognito_events(const call& c, context&) { unsupported(c, "SetCognitoEvents"); }
response get_identity_pool_configuration(const call& c, context&) { unsupported(c, "GetIdentityPoolConfiguration"); }
response set_identity_pool_configuration(const call& c, context&) { unsupported(c, "SetIdentityPoolConfiguration"); }
response register_device(const call& c, context&) { unsupported(c, "RegisterDevice"); }
response subscribe_to_dataset(const call& c, context&) { unsupported(c, "SubscribeToDataset"); }
response unsubscribe_from_dataset(const call& c, context&) { unsupported(c, "UnsubscribeFromDataset"); }

}  // namespace cogsync::api::ops
