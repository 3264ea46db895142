#pragma once
// Lookups every identity operation shares, with AWS's ResourceNotFoundException wording.
#include <string>

#include "storage/record_store.hpp"

namespace cogsync::api::identity {

[[noreturn]] void pool_not_found(const std::string& pool);
// ResourceConflictException: the developer provider name belongs to another pool.
[[noreturn]] void provider_taken(const std::string& developer_provider_name);
// The pool in a read snapshot; throws ResourceNotFoundException when absent.
storage::identity_pool existing_pool(storage::record_store& store, const std::string& pool);

}  // namespace cogsync::api::identity
