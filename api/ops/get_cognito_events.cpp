// GetCognitoEvents (PROTOCOL.md 3.2, 7.2). Developer credentials only (route table). Answers
// {"Events":{...}}, {"Events":{}} when none is set. Every pool exists (see
// get_identity_pool_configuration.cpp).
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {

step get_cognito_events(const call& c, context& ctx) {
    const auto& pool = c.param("IdentityPoolId");
    check_pool_id(pool);
    auto config = ctx.store.read([&](storage::read_view& v) { return v.load_pool_config(pool); });
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("Events");
    w.StartObject();
    if (config)
        for (const auto& [event, target] : config->events) {
            write_string(w, event);
            write_string(w, target);
        }
    w.EndObject();
    w.EndObject();
    return json_response(buf);
}

}  // namespace cogsync::api::ops
