#pragma once
// The target side of `cogsync migrate`: what the reader produced goes through the import's loader
// (api/transfer/import_loader.hpp) as the lines an export would hold, so every item is checked and
// applied by the same rules as `cogsync import` (idempotent, counts only forward, the server's
// limits), into a store a server may be serving.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/transfer/import_line.hpp"
#include "api/transfer/import_loader.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api::migrate {

class migrate_writer {
public:
    // report hears of each refused item as "<what>: <reason>".
    migrate_writer(storage::record_store& store, transfer::import_limits limits,
                   std::function<void(const std::string&)> report);
    // Loads the items in order and commits them before returning; true when none was refused.
    bool apply(const std::vector<transfer::import_item>& items);
    // The target's records of the dataset (tombstones included) when it is live at exactly
    // sync_count, the base a delta from that count applies to; nullopt otherwise.
    std::optional<std::vector<storage::record>> records_at(const storage::dataset_id& id, int64_t sync_count);
    const transfer::import_counts& counts() const { return total_; }

private:
    storage::record_store& store_;
    transfer::import_limits limits_;
    std::function<void(const std::string&)> report_;
    transfer::import_counts total_;
};

}  // namespace cogsync::api::migrate
