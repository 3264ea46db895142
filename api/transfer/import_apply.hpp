#pragma once
// The store side of an import (api/transfer/import_loader.hpp): what one write job does with each
// entry of a batch, checked against the store as it is inside that job.
#include <cstdint>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "api/transfer/import_line.hpp"
#include "api/transfer/import_loader.hpp"

namespace cogsync::api::transfer {

// A dataset line and the record lines after it, checked line by line as they were read.
struct dataset_block {
    int64_t line = 0;
    storage::dataset d;
    std::vector<std::pair<int64_t, storage::record>> records;  // dropped once the block is refused
    std::unordered_set<std::string> keys;
    int64_t record_lines = 0;
    int64_t bad_lines = 0;  // record lines refused on their own
    int64_t live = 0;       // running tallies of `records`, for the limits
    int64_t tombstones = 0;
    int64_t bytes = 0;      // live records' keys and values, tombstones' keys
    std::string refusal;    // why the whole block is not loaded; empty while it may be
};

// A pool configuration, device or subscription line.
struct single_line {
    int64_t line = 0;
    import_item item;
};

enum class applied { written, unchanged, refused };

struct apply_result {
    applied how = applied::written;
    std::string reason;  // when refused
};

// The dataset's tombstone tallies and live totals, recomputed from its records.
storage::dataset with_tallies(const dataset_block& b);

apply_result apply_block(storage::write_view& v, const dataset_block& b, const import_limits& limits);
apply_result apply_single(storage::write_view& v, const single_line& s, const import_limits& limits);

// The Cognito Identity kinds (api/transfer/import_apply_identity.cpp).
apply_result apply_identity_pool(storage::write_view& v, const storage::identity_pool& p);
apply_result apply_identity(storage::write_view& v, const identity_entry& e);

}  // namespace cogsync::api::transfer
