// DescribeIdentity: the identity by its id alone (ids are unique across pools); unknown is
// ResourceNotFoundException, one of a pool the key may not act on NotAuthorizedException.
#include "api/api_error.hpp"
#include "api/identity/identity_description.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {

step describe_identity(const identity_call& c, context& ctx) {
    const auto id = identity_id_member(c.input);
    std::optional<storage::identity> found;
    std::vector<storage::identity_login> logins;
    ctx.store.read([&](storage::read_view& v) {
        found = v.find_identity(id);
        if (found) logins = v.logins_of_identity(found->pool, id);
        return 0;
    });
    if (!found) throw api_error(error_code::resource_not_found, "Identity '" + id + "' not found.");
    c.check_pool(found->pool);
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    write_identity_description(w, *found, logins);
    return json11_response(buf);
}

}  // namespace cogsync::api::identity::ops
