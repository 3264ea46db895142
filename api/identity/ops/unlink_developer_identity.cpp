// UnlinkDeveloperIdentity: the developer user is no longer linked to the identity, and is a new
// identity the next time GetOpenIdTokenForDeveloperIdentity sees it. DeveloperProviderName must be
// the pool's; a user not linked to that identity is ResourceNotFoundException.
#include <memory>

#include "api/api_error.hpp"
#include "api/identity/developer_login.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/shapes.hpp"
#include "api/validate.hpp"

namespace cogsync::api::identity::ops {
namespace {

enum class outcome { done, no_pool, unsupported, not_linked };

}  // namespace

step unlink_developer_identity(const identity_call& c, context& ctx) {
    const auto id = identity_id_member(c.input);
    const auto pool = pool_id_member(c.input);
    const auto provider = required_string(c.input, "DeveloperProviderName");
    check_class(provider, "DeveloperProviderName", 1, 128, "._-", "[\\w._-]+");
    const auto user = required_developer_user(c.input, "DeveloperUserIdentifier");
    c.check_pool(pool);
    auto result = std::make_shared<outcome>(outcome::no_pool);
    auto job = [=](storage::write_view& v) {
        auto p = v.find_identity_pool(pool);
        if (!p) return false;
        *result = outcome::unsupported;
        if (p->developer_provider_name != provider) return false;
        v.lock_identity(pool, id);
        *result = v.unlink_login(pool, storage::identity_login{provider, user}, id) ? outcome::done : outcome::not_linked;
        return *result == outcome::done;
    };
    return write_step{job, [=]() -> step {
                          if (*result == outcome::no_pool) pool_not_found(pool);
                          if (*result == outcome::unsupported) unsupported_developer_provider();
                          if (*result == outcome::not_linked)
                              throw api_error(error_code::resource_not_found,
                                              "Developer user identifier is not linked to identity '" + id + "'.");
                          return empty_response();
                      }};
}

}  // namespace cogsync::api::identity::ops
