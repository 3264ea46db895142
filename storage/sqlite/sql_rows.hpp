#pragma once
// The datasets' and records' columns as every view selects them, and their readers.
#include "storage/model.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {

// Thirteen columns, read by dataset_row; a column selected after them is column 13.
inline constexpr const char* dataset_columns =
    "pool, identity, name, state, sync_count, deleted_at, creation_ms, last_modified_ms, last_modified_by,"
    " data_storage, num_records, tombstones, tombstone_bytes";
dataset dataset_row(statement& s);

// Six columns, read by record_row; a column selected after them is column 6.
inline constexpr const char* record_columns =
    "key, value, sync_count, last_modified_ms, last_modified_by, device_last_modified_ms";
record record_row(statement& s);

}  // namespace cogsync::storage
