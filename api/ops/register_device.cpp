// RegisterDevice (PROTOCOL.md 7.1). Identity credentials only (route table). The pool's PushSync
// must hold an ApplicationArn for the Platform, else 400 InvalidConfigurationException.
// Idempotent: the same (pool, identity, platform, token) always gets the same DeviceId, since
// clients cache it per identity and platform and never register again. Lookup and insert share one
// write transaction, so two concurrent registrations of one token cannot mint two ids.
// A new token beyond --max-devices per identity is 400 LimitExceededException; a token already
// registered is answered its DeviceId and never counts twice.
// Pools need no registration here (see get_identity_pool_configuration.cpp), so there is no 404.
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/pool_config_shapes.hpp"
#include "api/ops/shapes.hpp"
#include "api/write_then.hpp"

namespace cogsync::api::ops {
namespace {

[[noreturn]] void invalid(const std::string& message) { throw api_error(error_code::invalid_parameter, message); }

}  // namespace

step register_device(const call& c, context& ctx) {
    check_identity_path(c);
    const auto& pool = c.param("IdentityPoolId");
    const auto& identity = c.param("IdentityId");
    auto body = parse_json_object(c.req.body);
    auto platform = get_string(body, "Platform");
    auto token = get_string(body, "Token");
    if (!platform)
        invalid("1 validation error detected: Value null at 'platform' failed to satisfy constraint: Member must not be null");
    if (*platform != "APNS" && *platform != "APNS_SANDBOX" && *platform != "GCM" && *platform != "ADM")
        invalid("1 validation error detected: Value '" + *platform +
                "' at 'platform' failed to satisfy constraint: Member must satisfy enum value set: "
                "[APNS, APNS_SANDBOX, GCM, ADM]");
    if (!token)
        invalid("1 validation error detected: Value null at 'token' failed to satisfy constraint: Member must not be null");

    auto device_id = std::make_shared<std::string>();
    auto max_devices = ctx.push.max_devices;
    return write_then([=](storage::write_view& v) {
        v.lock_identity(pool, identity);
        require_push_platform(v.load_pool_config(pool), *platform);
        if (auto known = v.find_device_by_token(pool, identity, *platform, *token)) {
            *device_id = known->device_id;
            return true;
        }
        if (v.device_count(pool, identity) >= max_devices)
            throw api_error(error_code::limit_exceeded,
                            "The number of devices exceeds the limit of " + std::to_string(max_devices) + ".");
        *device_id = new_device_id();
        v.save_device({*device_id, pool, identity, *platform, *token});
        return true;
    }, [device_id]() -> step {
        rapidjson::StringBuffer buf;
        json_writer w(buf);
        w.StartObject();
        write_string_member(w, "DeviceId", *device_id);
        w.EndObject();
        return json_response(buf);
    });
}

}  // namespace cogsync::api::ops
