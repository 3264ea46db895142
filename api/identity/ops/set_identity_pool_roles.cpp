// SetIdentityPoolRoles: replaces the pool's Roles and RoleMappings (api/identity/roles_shapes.hpp);
// an unknown pool is ResourceNotFoundException. Answers {}. Stored only: cogsync assumes no role.
#include <memory>

#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/roles_shapes.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {

step set_identity_pool_roles(const identity_call& c, context&) {
    const auto id = pool_id_member(c.input);
    auto roles = std::make_shared<std::string>(roles_from_input(c.input));
    c.check_pool(id);
    auto found = std::make_shared<bool>(false);
    auto job = [id, roles, found](storage::write_view& v) {
        auto pool = v.find_identity_pool(id);
        *found = pool.has_value();
        if (!pool) return false;
        pool->roles = *roles;
        return v.save_identity_pool(*pool);
    };
    return write_step{job, [id, found]() -> step {
                          if (!*found) pool_not_found(id);
                          return empty_response();
                      }};
}

}  // namespace cogsync::api::identity::ops
