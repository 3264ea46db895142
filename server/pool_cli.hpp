#pragma once
// `cogsync pool create|list|delete`: identity pools of the store in --data-dir, through the store,
// also while a server runs on it. create prints the new pool's id; list prints "<id> <name>" per
// pool; delete deletes the pool with its identities (its sync datasets stay, as DeleteIdentityPool).
#include "config/parse_settings.hpp"

namespace cogsync::server {

// The exit code: 0, or 1 when the pool to delete does not exist. Failures throw.
int run_pool(const config::pool_command& c);

}  // namespace cogsync::server
