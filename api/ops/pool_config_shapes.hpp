#pragma once
// The PushSync and CognitoStreams shapes (PROTOCOL.md 3.1, 7.1, 7.4) in and out, with the model's
// constraints (service-2.json: ApplicationArn, AssumeRoleArn, StreamName, StreamingStatus), and
// the push-sync checks RegisterDevice and the subscription operations share.
#include <optional>
#include <string>

#include "api/json_codec.hpp"
#include "storage/hooks_model.hpp"

namespace cogsync::api::ops {

// Each throws InvalidParameterException on a constraint, SerializationException on a wrong type.
storage::push_sync_config read_push_sync(const rapidjson::Value& v);
storage::cognito_streams_config read_cognito_streams(const rapidjson::Value& v);

// The SyncTrigger's target (SetCognitoEvents): the model leaves LambdaFunctionArn free, but the
// ARN goes out in a header (X-Cogsync-Function-Arn) and a Lambda Invoke path, so it must be a
// Lambda function ARN (Lambda's FunctionArn pattern, any region and account digits).
void check_function_arn(const std::string& arn);

// {IdentityPoolId, PushSync?, CognitoStreams?}: a sub-structure never set is omitted, and so are
// its members that were never set.
void write_pool_config(json_writer& w, const std::string& pool, const std::optional<storage::pool_config>& c);

// The platform segment of an SNS platform application ARN (`...:app/<PLATFORM>/<name>`), or "".
std::string platform_of_arn(const std::string& arn);

// 400 InvalidConfigurationException "Push sync is not configured for platform X" unless the
// pool's PushSync holds an ApplicationArn for `platform` (7.1).
void require_push_platform(const std::optional<storage::pool_config>& c, const std::string& platform);

// A random UUID v4, lowercase (RegisterDevice's DeviceId, [APIREF14]).
std::string new_device_id();

}  // namespace cogsync::api::ops
