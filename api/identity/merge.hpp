#pragma once
// MergeDeveloperIdentities' rule over the store (PROTOCOL.md 5.8): identity `source` goes into
// `destination` in one write job. The source's logins move to the destination, its minted
// credentials are revoked, the identity is deleted and the merge recorded; each live sync dataset
// D of the source is copied to the destination as "D.<source>" with dataset sync count 1 and every
// live record at SyncCount 1. The source's own datasets stay under its id, as a deleted identity's
// do. Checked before anything changes: the destination's dataset limit, and names that would
// exceed 128 characters or already exist on the destination.
#include <string>

#include "api/sync_rules.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api::identity {

enum class merge_outcome { merged, too_many_datasets, name_too_long, name_taken };

// "D.<source>", the name a merged dataset takes on the destination.
std::string merged_dataset_name(const std::string& dataset, const std::string& source);

merge_outcome merge_identities(storage::write_view& v, const std::string& pool, const std::string& destination,
                               const std::string& source, const sync_limits& limits, int64_t now_ms);

}  // namespace cogsync::api::identity
