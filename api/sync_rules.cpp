#include "api/sync_rules.hpp"

#include <unordered_map>

#include "api/api_error.hpp"

namespace cogsync::api {

using storage::dataset;
using storage::dataset_state;

int64_t record_bytes(const std::string& key, const std::optional<std::string>& value) {
    return value ? static_cast<int64_t>(key.size() + value->size()) : 0;
}

namespace {

std::optional<api_error> check_counts(const record_lookup& find, const std::vector<record_patch>& patches,
                                      std::unordered_map<std::string, std::optional<storage::record>>& before) {
    for (const auto& p : patches) {
        auto [it, inserted] = before.try_emplace(p.key);
        if (inserted) it->second = find(p.key);
        int64_t current = it->second ? it->second->sync_count : 0;
        if (p.sync_count != current)
            return api_error(error_code::resource_conflict, "Current SyncCount for: " + p.key + " is: " +
                                                                std::to_string(current) + " not: " +
                                                                std::to_string(p.sync_count));
    }
    return std::nullopt;
}

// Whether a tally breaks its limit: it may not rise above it. One already above (a limit lowered
// since, or tombstones stored before they were bounded) may still fall, so the dataset can be
// cleaned up by ordinary writes.
bool breaks(int64_t before, int64_t after, int64_t limit) { return after > limit && after > before; }

// `base` holds the tallies before the write (zero for a dataset that is not live). live_datasets()
// is asked only for a dataset that is not live yet.
std::optional<api_error> check_limits(const dataset& current, const dataset& base, const dataset& next,
                                      const std::function<int64_t()>& live_datasets, const sync_limits& limits) {
    if (current.state != dataset_state::live && live_datasets() >= limits.max_datasets)
        return api_error(error_code::limit_exceeded,
                         "The number of datasets exceeds the limit of " + std::to_string(limits.max_datasets) + ".");
    if (breaks(base.num_records, next.num_records, limits.max_records))
        return api_error(error_code::limit_exceeded,
                         "The number of records exceeds the limit of " + std::to_string(limits.max_records) + ".");
    if (breaks(base.tombstones, next.tombstones, limits.max_records))
        return api_error(error_code::limit_exceeded, "The number of removed records exceeds the limit of " +
                                                         std::to_string(limits.max_records) +
                                                         "; DeleteDataset clears them.");
    if (breaks(base.data_storage + base.tombstone_bytes, next.data_storage + next.tombstone_bytes,
               limits.max_dataset_bytes))
        return api_error(error_code::limit_exceeded, "The dataset size exceeds the limit of " +
                                                         std::to_string(limits.max_dataset_bytes) +
                                                         " bytes (keys of removed records count too).");
    return std::nullopt;
}

// Moves the dataset's tallies from `old` (nullopt: no record) to `now`.
void account(dataset& d, const std::optional<storage::record>& old, const storage::record& now) {
    auto tally = [&d](const std::string& key, const std::optional<std::string>& value, int64_t sign) {
        if (value) {
            d.num_records += sign;
            d.data_storage += sign * record_bytes(key, value);
        } else {
            d.tombstones += sign;
            d.tombstone_bytes += sign * static_cast<int64_t>(key.size());
        }
    };
    if (old) tally(old->key, old->value, -1);
    tally(now.key, now.value, 1);
}

// The dataset row after a successful write, tallies not yet moved.
dataset next_dataset(const dataset& current, const std::string& principal, int64_t now_ms) {
    dataset next = current;
    if (current.state != dataset_state::live) {
        next.creation_ms = now_ms;
        next.num_records = 0;
        next.data_storage = 0;
        next.tombstones = 0;
        next.tombstone_bytes = 0;
    }
    next.state = dataset_state::live;
    next.sync_count = current.sync_count + 1;  // a delete already advanced it (5.7)
    next.last_modified_ms = now_ms;
    next.last_modified_by = principal;
    return next;
}

// One record per distinct key, in first-seen order; the last patch of a key wins.
std::vector<storage::record> last_patch_per_key(const std::vector<record_patch>& patches, int64_t sync_count,
                                                const std::string& principal, int64_t now_ms) {
    std::vector<storage::record> out;
    std::unordered_map<std::string, std::size_t> slot;
    for (const auto& p : patches) {
        storage::record r{p.key, p.remove ? std::nullopt : p.value, sync_count, now_ms, principal,
                          p.device_last_modified_ms.value_or(now_ms)};
        auto [it, inserted] = slot.try_emplace(p.key, out.size());
        if (inserted) out.push_back(std::move(r));
        else out[it->second] = std::move(r);
    }
    return out;
}

}  // namespace

update_outcome plan_update(const dataset& current, const record_lookup& find,
                           const std::function<int64_t()>& live_datasets, const std::vector<record_patch>& patches,
                           const sync_limits& limits, const std::string& principal, int64_t now_ms) {
    // A deleted dataset has no records left: every key starts again from count 0 (5.7).
    record_lookup lookup = current.state == dataset_state::live ? find : record_lookup([](const std::string&) {
        return std::optional<storage::record>{};
    });
    std::unordered_map<std::string, std::optional<storage::record>> before;
    if (auto conflict = check_counts(lookup, patches, before)) return std::move(*conflict);

    update_plan plan;
    const dataset base = next_dataset(current, principal, now_ms);
    plan.next = base;
    for (auto& r : last_patch_per_key(patches, plan.next.sync_count, principal, now_ms)) {
        const auto& old = before[r.key];
        if (!r.value && !old) {  // a remove of a key without a record: nothing to store
            r.sync_count = 0;
            plan.unstored.push_back(std::move(r));
            continue;
        }
        account(plan.next, old, r);
        plan.written.push_back(std::move(r));
    }
    if (auto over = check_limits(current, base, plan.next, live_datasets, limits)) return std::move(*over);
    return plan;
}

dataset plan_delete(const dataset& current, const std::string& principal, int64_t now_ms) {
    if (current.state != dataset_state::live) throw api_error(error_code::resource_not_found, "Dataset not found.");
    dataset next = current;
    next.state = dataset_state::deleted;
    next.sync_count = current.sync_count + 1;
    next.deleted_at = next.sync_count;
    next.num_records = 0;
    next.data_storage = 0;
    next.tombstones = 0;
    next.tombstone_bytes = 0;
    next.last_modified_ms = now_ms;
    next.last_modified_by = principal;
    return next;
}

list_window plan_list(const dataset& d, int64_t last) {
    list_window w;
    bool deleted_after = last > 0 && d.deleted_at > 0 && last < d.deleted_at;
    if (d.state != dataset_state::live) {
        w.deleted_after = d.state == dataset_state::deleted && deleted_after;
        return w;
    }
    if (last > d.sync_count)
        throw api_error(error_code::invalid_parameter, "No such SyncCount: " + std::to_string(last) +
                                                           " exists for this Dataset");
    w.exists = true;
    w.deleted_after = deleted_after;
    w.after_sync_count = deleted_after ? 0 : last;  // the old count means nothing after re-creation
    w.dataset_sync_count = d.sync_count;
    return w;
}

}  // namespace cogsync::api
