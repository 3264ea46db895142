#pragma once
// The sync-count rules of PROTOCOL.md section 5 as plain functions over storage values: no JSON,
// no I/O. Operations call them inside a store transaction so the check and the write are atomic.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "api/api_error.hpp"

#include "storage/model.hpp"

namespace cogsync::api {

struct record_patch {
    bool remove = false;                     // Op "remove"; "replace" with no Value is a remove too
    std::string key;
    std::optional<std::string> value;
    int64_t sync_count = 0;                  // the client's last known count for this key
    std::optional<int64_t> device_last_modified_ms;
};

// Tombstones are bounded too (PROTOCOL.md 5.6 keeps them until DeleteDataset): a dataset holds
// at most max_records of them besides its live records, and their key bytes count toward
// max_dataset_bytes, as iOS counts them (AWSCognitoDataset.m sizeForRecord:, syncPush:).
struct sync_limits {
    int64_t max_datasets = 20;
    int64_t max_records = 1024;
    int64_t max_dataset_bytes = 1048576;
};

struct update_plan {
    storage::dataset next;                   // the dataset row after the write
    std::vector<storage::record> written;    // to store: one per distinct key, in first-seen order
    // Removes of keys that have no record: answered (no Value, SyncCount 0, the count of a key
    // without a record) so clients mark them synced, but never stored.
    std::vector<storage::record> unstored;
};

using record_lookup = std::function<std::optional<storage::record>(const std::string& key)>;

// A lookup into records already read, keyed by record key (a std::map or std::unordered_map);
// the lookup shares ownership of them.
template <class Map>
record_lookup lookup_in(std::shared_ptr<const Map> records) {
    return [records = std::move(records)](const std::string& key) -> std::optional<storage::record> {
        auto it = records->find(key);
        if (it == records->end()) return std::nullopt;
        return it->second;
    };
}

// The plan to write, or why the batch is refused: an expected outcome, so a value, not a throw.
using update_outcome = std::variant<update_plan, api_error>;

// UpdateRecords (5.4). Every patch is checked against the state before the call; one stale
// count refuses the whole batch (409 "Current SyncCount for: K is: A not: B"). Duplicate keys:
// the last patch wins. Limits (6.1, and the tombstone bounds above) are checked on the resulting
// state (400 LimitExceeded). A successful call raises the dataset count by one even when every
// patch removes a key without a record: iOS advances its count by one after any push
// (AWSCognitoDataset.m syncPush:).
// `live_datasets` counts the identity's live datasets; it is called only when `current` is not
// live (creating a dataset is the only write that can cross the dataset limit).
update_outcome plan_update(const storage::dataset& current, const record_lookup& find,
                           const std::function<int64_t()>& live_datasets, const std::vector<record_patch>& patches,
                           const sync_limits& limits, const std::string& principal, int64_t now_ms);

// DeleteDataset (5.7): the next counter value marks the deletion, so counts are never reused.
// Throws 404 ResourceNotFound unless the dataset is live.
storage::dataset plan_delete(const storage::dataset& current, const std::string& principal, int64_t now_ms);

struct list_window {
    bool exists = false;
    bool deleted_after = false;              // DatasetDeletedAfterRequestedSyncCount
    int64_t after_sync_count = 0;            // records with a greater count are returned
    int64_t dataset_sync_count = 0;          // DatasetSyncCount to report
};

// ListRecords (5.3). lastSyncCount is exclusive; above a live dataset's count it is 400
// "No such SyncCount: N exists for this Dataset"; a missing or deleted dataset is never an error.
list_window plan_list(const storage::dataset& d, int64_t last_sync_count);

// UTF-8 bytes a live record counts toward DataStorage and the dataset size limit (6.1); a
// tombstone's key bytes count toward the limit only (dataset::tombstone_bytes).
int64_t record_bytes(const std::string& key, const std::optional<std::string>& value);

}  // namespace cogsync::api
