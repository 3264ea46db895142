// DescribeIdentityPoolUsage (PROTOCOL.md 3.2): bytes over the pool's live datasets and the
// SyncSessionTokens issued. A pool that never issued a token nor held a dataset answers zeros,
// for the same reason as DescribeIdentityUsage.
#include "api/ops/operations.hpp"
#include "api/ops/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::ops {

step describe_identity_pool_usage(const call& c, context& ctx) {
    const auto& pool = c.param("IdentityPoolId");
    check_pool_id(pool);
    auto u = ctx.store.read([&](storage::read_view& v) { return v.usage_of_pool(pool); });
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    w.Key("IdentityPoolUsage");
    write_pool_usage(w, u.value_or(storage::pool_usage{pool}));
    w.EndObject();
    return json_response(buf);
}

}  // namespace cogsync::api::ops
