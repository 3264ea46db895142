// DescribeIdentityPool: the IdentityPool shape; an unknown pool is ResourceNotFoundException.
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/pool_shapes.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {

step describe_identity_pool(const identity_call& c, context& ctx) {
    const auto id = pool_id_member(c.input);
    c.check_pool(id);
    return pool_response(existing_pool(ctx.store, id));
}

}  // namespace cogsync::api::identity::ops
