// CreateIdentityPool: a new pool "<region>:<uuid v4>" in the server's --region. Developer keys
// need pools = * (identity_call::check_all_pools). A DeveloperProviderName another pool holds is
// ResourceConflictException: AWS requires it unique per account and region.
#include <memory>

#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/pool_shapes.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {

step create_identity_pool(const identity_call& c, context& ctx) {
    c.check_all_pools();
    auto pool = std::make_shared<storage::identity_pool>(pool_from_input(c.input));
    pool->id = new_namespaced_id(ctx.region);
    pool->created_ms = ctx.now_ms();
    auto saved = std::make_shared<bool>(false);
    return write_step{[pool, saved](storage::write_view& v) { return *saved = v.save_identity_pool(*pool); },
                      [pool, saved]() -> step {
                          if (!*saved) provider_taken(pool->developer_provider_name);
                          return pool_response(*pool);
                      }};
}

}  // namespace cogsync::api::identity::ops
