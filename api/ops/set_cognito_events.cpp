// SetCognitoEvents (PROTOCOL.md 3.2, 7.2). Developer credentials only (route table). `Events` is
// required and holds at most one entry (the model's max 1). Only the keys given change; an empty
// string value removes its key. The only event type is SyncTrigger (7.3): any other key is 400,
// since storing it would promise a hook that never runs. The model leaves LambdaFunctionArn free;
// the ARN goes out in a header (X-Cogsync-Function-Arn) and a Lambda Invoke path, so a value must
// be a Lambda function ARN (Lambda's FunctionArn pattern, any region and account digits). Answers {}.
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/pool_config_shapes.hpp"
#include "api/ops/shapes.hpp"
#include "api/validate.hpp"
#include "api/write_then.hpp"

namespace cogsync::api::ops {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw api_error(error_code::invalid_parameter, message); }

std::map<std::string, std::string> read_events(const rapidjson::Value& body) {
    const auto* events = find_member(body, "Events");
    if (!events)
        invalid("1 validation error detected: Value null at 'events' failed to satisfy constraint: Member must not be null");
    if (!events->IsObject()) throw api_error(error_code::serialization, "Member 'Events' must be a map");
    if (events->MemberCount() > 1)
        invalid("1 validation error detected: Value at 'events' failed to satisfy constraint: "
                "Member must have length less than or equal to 1");
    std::map<std::string, std::string> out;
    for (const auto& m : events->GetObject()) {
        std::string key(m.name.GetString(), m.name.GetStringLength());
        if (!m.value.IsString()) throw api_error(error_code::serialization, "Events values must be strings");
        if (key != "SyncTrigger") invalid("Unsupported Cognito event type: " + key + " (supported: SyncTrigger)");
        std::string arn(m.value.GetString(), m.value.GetStringLength());
        if (!arn.empty()) check_function_arn(arn);  // empty removes the event
        out[key] = std::move(arn);
    }
    return out;
}

}  // namespace

step set_cognito_events(const call& c, context& ctx) {
    const auto& pool = c.param("IdentityPoolId");
    check_pool_id(pool);
    auto body = parse_json_object(c.req.body);
    auto changes = read_events(body);
    return write_then([pool, changes](storage::write_view& v) {
        auto config = v.load_pool_config(pool).value_or(storage::pool_config{pool, {}, {}, {}});
        for (const auto& [event, target] : changes) {
            if (target.empty()) config.events.erase(event);
            else config.events[event] = target;
        }
        v.save_pool_config(config);
        return true;
    }, []() -> step { return response{200, {}, "{}"}; });
}

}  // namespace cogsync::api::ops
