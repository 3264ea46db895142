// UpdateIdentityPool: replaces the whole description, as AWS does (a member left out is cleared);
// the pool's id, creation time and roles stay. A DeveloperProviderName, once set, cannot change
// (AWS: "Once you have set a developer provider name, you cannot change it"): leaving it out keeps
// it, naming another is InvalidParameterException.
#include <memory>

#include "api/api_error.hpp"
#include "api/identity/ops/operations.hpp"
#include "api/identity/pool_lookup.hpp"
#include "api/identity/pool_shapes.hpp"
#include "api/identity/shapes.hpp"

namespace cogsync::api::identity::ops {
namespace {

enum class outcome { saved, not_found, changed_provider, provider_taken };

}  // namespace

step update_identity_pool(const identity_call& c, context& ctx) {
    const auto id = pool_id_member(c.input);
    c.check_pool(id);
    auto pool = std::make_shared<storage::identity_pool>(pool_from_input(c.input));
    pool->id = id;
    auto result = std::make_shared<outcome>(outcome::not_found);
    auto job = [pool, result](storage::write_view& v) {
        auto old = v.find_identity_pool(pool->id);
        *result = outcome::not_found;
        if (!old) return false;
        if (pool->developer_provider_name.empty()) pool->developer_provider_name = old->developer_provider_name;
        if (!old->developer_provider_name.empty() && pool->developer_provider_name != old->developer_provider_name) {
            *result = outcome::changed_provider;
            return false;
        }
        pool->roles = old->roles;
        pool->created_ms = old->created_ms;
        *result = v.save_identity_pool(*pool) ? outcome::saved : outcome::provider_taken;
        return *result == outcome::saved;
    };
    return write_step{job, [pool, result]() -> step {
                          if (*result == outcome::not_found) pool_not_found(pool->id);
                          if (*result == outcome::changed_provider)
                              throw api_error(error_code::invalid_parameter,
                                              "The developer provider name of an identity pool cannot be changed.");
                          if (*result == outcome::provider_taken) provider_taken(pool->developer_provider_name);
                          return pool_response(*pool);
                      }};
}

}  // namespace cogsync::api::identity::ops
