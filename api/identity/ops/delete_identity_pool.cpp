// DeleteIdentityPool: the pool with its identities, logins, merges and minted credentials; its
// Cognito Sync datasets stay (README: Cognito Identity endpoint). Answers an empty body.
#include <memory>

#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {

step delete_identity_pool(const identity_call& c, context&) {
    const auto id = pool_id_member(c.input);
    c.check_pool(id);
    auto deleted = std::make_shared<bool>(false);
    return write_step{[id, deleted](storage::write_view& v) { return *deleted = v.delete_identity_pool(id); },
                      [id, deleted]() -> step {
                          if (!*deleted) pool_not_found(id);
                          return response{200, {{"Content-Type", "application/x-amz-json-1.1"}}, ""};
                      }};
}

}  // namespace cogsync::api::identity::ops
