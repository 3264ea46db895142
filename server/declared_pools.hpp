#pragma once
// The identity pools the configuration file declares ([pools."<region>:<uuid>"]), applied at
// startup: a pool absent from the store is created with that id; a present one is made to match
// the file (name, unauthenticated access, developer provider, login providers), its identities,
// roles and other members kept. A pool not declared is never touched.
#include <vector>

#include "config/declared_pool.hpp"
#include "storage/record_store.hpp"

namespace cogsync::server {

// The declaration checked as CreateIdentityPool's input would be; throws std::runtime_error naming
// the pool when the model refuses it.
storage::identity_pool checked_pool(const config::declared_pool& d);

// Throws std::runtime_error naming the pool when a declaration breaks the model's rules or its
// developer provider belongs to another pool.
void apply_declared_pools(storage::record_store& store, const std::vector<config::declared_pool>& pools, int64_t now_ms);

}  // namespace cogsync::server
