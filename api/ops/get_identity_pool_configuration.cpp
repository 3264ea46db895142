// GetIdentityPoolConfiguration (PROTOCOL.md 3.2). Developer credentials only (route table).
//
// Unknown pools: PROTOCOL.md says an unknown pool is 404, but this server has no pool registry
// (pools belong to Cognito Identity). Like the usage operations, which answer zeros for a pool
// they never saw, every well-formed pool id exists here: a pool never configured answers just
// {"IdentityPoolId": ...}, and no push/streams/events/bulk-publish operation answers 404 for
// the pool itself.
#include "api/ops/operations.hpp"
#include "api/ops/pool_config_shapes.hpp"
#include "api/ops/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {

step get_identity_pool_configuration(const call& c, context& ctx) {
    const auto& pool = c.param("IdentityPoolId");
    check_pool_id(pool);
    auto config = ctx.store.read([&](storage::read_view& v) { return v.load_pool_config(pool); });
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    write_pool_config(w, pool, config);
    return json_response(buf);
}

}  // namespace cogsync::api::ops
