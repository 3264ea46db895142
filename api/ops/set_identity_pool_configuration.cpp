// SetIdentityPoolConfiguration (PROTOCOL.md 3.2, 9.14). Developer credentials only (route table).
// A sub-structure present in the request replaces the stored one; an absent (or null) one is left
// unchanged. Answers the full resulting configuration. Read-modify-write runs in one writer
// transaction and the single writer serialises all Sets, so ConcurrentModificationException
// never occurs here. A StreamName no stream sink serves is 400 InvalidConfigurationException
// naming it: stream records for it could never be delivered, and a BulkPublish would fail.
#include "api/api_error.hpp"
#include "api/ops/operations.hpp"
#include "api/ops/pool_config_shapes.hpp"
#include "api/ops/shapes.hpp"
#include "api/validate.hpp"
#include "api/write_then.hpp"

namespace cogsync::api::ops {

step set_identity_pool_configuration(const call& c, context& ctx) {
    const auto& pool = c.param("IdentityPoolId");
    check_pool_id(pool);
    auto body = parse_json_object(c.req.body);
    std::optional<storage::push_sync_config> push;
    std::optional<storage::cognito_streams_config> streams;
    if (const auto* v = find_member(body, "PushSync")) push = read_push_sync(*v);
    if (const auto* v = find_member(body, "CognitoStreams")) streams = read_cognito_streams(*v);
    if (streams && !streams->stream_name.empty() && ctx.stream_served && !ctx.stream_served(streams->stream_name))
        throw api_error(error_code::invalid_configuration,
                        "No stream sink serves stream '" + streams->stream_name +
                            "': add a [sink.NAME] section with streams = " + streams->stream_name +
                            " (or *) to the hooks file");

    auto result = std::make_shared<std::optional<storage::pool_config>>();
    return write_then([=](storage::write_view& v) {
        auto config = v.load_pool_config(pool).value_or(storage::pool_config{pool, {}, {}, {}});
        if (push) config.push_sync = push;
        if (streams) config.cognito_streams = streams;
        v.save_pool_config(config);
        *result = std::move(config);
        return true;
    }, [pool, result]() -> step {
        rapidjson::StringBuffer buf;
        json_writer w(buf);
        write_pool_config(w, pool, *result);
        return json_response(buf);
    });
}

}  // namespace cogsync::api::ops
