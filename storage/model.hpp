#pragma once
// Plain values the record store speaks: datasets, records, usage. No JSON, no HTTP.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cogsync::storage {

// A SyncSessionToken's session: its random id and the expiry sealed into the token with it. One
// id never comes with another expiry, so a store may keep spent sessions in expiry order (appends
// that share pages, a purge that cuts one end).
struct session_key {
    std::string id;
    int64_t expires_ms = 0;
};

struct dataset_id {
    std::string pool;
    std::string identity;
    std::string name;
};

// The dataset `dataset` of an identity merged into another is found on the destination under
// this name (PROTOCOL.md 5.8).
inline std::string merged_dataset_name(const std::string& dataset, const std::string& source) {
    return dataset + "." + source;
}

struct record {
    std::string key;
    std::optional<std::string> value;  // nullopt = tombstone (PROTOCOL.md 5.6)
    int64_t sync_count = 0;
    int64_t last_modified_ms = 0;
    std::string last_modified_by;
    int64_t device_last_modified_ms = 0;
};

enum class dataset_state { absent, live, deleted };

// One dataset row. `sync_count` is the last counter value ever assigned to this name (a delete
// bumps it, PROTOCOL.md 5.7); `deleted_at` is the counter value of the last delete (0 = never).
// data_storage / num_records cover live (non-tombstone) records only; tombstones / tombstone_bytes
// (UTF-8 bytes of their keys) count the removed ones, which the limits bound too (PROTOCOL.md 5.6).
struct dataset {
    dataset_id id;
    dataset_state state = dataset_state::absent;
    int64_t sync_count = 0;
    int64_t deleted_at = 0;
    int64_t creation_ms = 0;
    int64_t last_modified_ms = 0;
    std::string last_modified_by;
    int64_t data_storage = 0;
    int64_t num_records = 0;
    int64_t tombstones = 0;
    int64_t tombstone_bytes = 0;
};

// Position in the (sync_count, key) order used by ListRecords pagination.
struct record_cursor {
    int64_t sync_count = 0;
    std::string key;
};

struct record_page_query {
    int64_t after_sync_count = 0;            // exclusive lower bound on sync_count
    int64_t max_sync_count = INT64_MAX;      // inclusive upper bound (pagination snapshot)
    std::optional<record_cursor> after;      // resume strictly after this (sync_count, key)
    std::size_t limit = SIZE_MAX;            // at most this many records
};

struct identity_usage {
    std::string pool;
    std::string identity;
    int64_t dataset_count = 0;     // live datasets
    int64_t data_storage = 0;      // sum over live datasets
    int64_t last_modified_ms = 0;  // 0 = never written
};

struct pool_usage {
    std::string pool;
    int64_t sync_sessions = 0;     // session tokens issued (flushed, see record_store)
    int64_t data_storage = 0;      // sum over live datasets
    int64_t last_modified_ms = 0;  // 0 = never written
};

}  // namespace cogsync::storage
