#include "api/identity/pool_lookup.hpp"

#include "api/api_error.hpp"

namespace cogsync::api::identity {

void pool_not_found(const std::string& pool) {
    throw api_error(error_code::resource_not_found, "IdentityPool '" + pool + "' not found.");
}

void provider_taken(const std::string& developer_provider_name) {
    throw api_error(error_code::resource_conflict,
                    "Developer provider name " + developer_provider_name + " is already used by another identity pool.");
}

storage::identity_pool existing_pool(storage::record_store& store, const std::string& pool) {
    auto found = store.read([&](storage::read_view& v) { return v.find_identity_pool(pool); });
    if (!found) pool_not_found(pool);
    return *found;
}

}  // namespace cogsync::api::identity
