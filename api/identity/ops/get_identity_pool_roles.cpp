// GetIdentityPoolRoles: the pool's IdentityPoolId, Roles ({} when never set) and RoleMappings
// (when set), as SetIdentityPoolRoles stored them; an unknown pool is ResourceNotFoundException.
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/roles_shapes.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {

step get_identity_pool_roles(const identity_call& c, context& ctx) {
    const auto id = pool_id_member(c.input);
    c.check_pool(id);
    const auto pool = existing_pool(ctx.store, id);
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_string_member(w, "IdentityPoolId", pool.id);
    write_roles_members(w, pool.roles);
    w.EndObject();
    return json11_response(buf);
}

}  // namespace cogsync::api::identity::ops
