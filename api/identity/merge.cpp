#include "api/identity/merge.hpp"

#include <vector>

namespace cogsync::api::identity {
namespace {

constexpr std::size_t max_dataset_name = 128;

std::vector<storage::dataset> live_datasets(storage::write_view& v, const std::string& pool, const std::string& id) {
    std::vector<storage::dataset> out;
    for (std::string after;;) {
        auto page = v.datasets_page(pool, id, after, 100);
        if (page.empty()) return out;
        after = page.back().id.name;
        out.insert(out.end(), page.begin(), page.end());
    }
}

void copy_dataset(storage::write_view& v, const storage::dataset& from, const std::string& destination,
                  const std::string& source, int64_t now_ms) {
    storage::dataset to = from;
    to.id.identity = destination;
    to.id.name = merged_dataset_name(from.id.name, source);
    to.sync_count = 1;
    to.deleted_at = 0;
    to.creation_ms = now_ms;
    to.last_modified_ms = now_ms;
    to.tombstones = 0;
    to.tombstone_bytes = 0;
    v.save_dataset(to);
    std::vector<storage::record> live;
    for (auto& r : v.records_page(from.id, storage::record_page_query{}))
        if (r.value) {
            r.sync_count = 1;
            live.push_back(std::move(r));
        }
    v.put_records(to.id, live);
}

}  // namespace

std::string merged_dataset_name(const std::string& dataset, const std::string& source) {
    return storage::merged_dataset_name(dataset, source);
}

merge_outcome merge_identities(storage::write_view& v, const std::string& pool, const std::string& destination,
                               const std::string& source, const sync_limits& limits, int64_t now_ms) {
    v.lock_identity(pool, std::min(destination, source));
    v.lock_identity(pool, std::max(destination, source));
    const auto moved = live_datasets(v, pool, source);
    if (v.live_dataset_count(pool, destination) + static_cast<int64_t>(moved.size()) > limits.max_datasets)
        return merge_outcome::too_many_datasets;
    for (const auto& d : moved) {
        const auto name = merged_dataset_name(d.id.name, source);
        if (name.size() > max_dataset_name) return merge_outcome::name_too_long;
        if (v.load_dataset(storage::dataset_id{pool, destination, name}).state != storage::dataset_state::absent)
            return merge_outcome::name_taken;
    }
    for (const auto& d : moved) copy_dataset(v, d, destination, source, now_ms);
    const auto logins = v.logins_of_identity(pool, source);
    v.delete_identity(source);  // its logins, merges and minted credentials go with it
    for (const auto& l : logins) v.link_login(pool, l, destination);
    v.record_merge(pool, destination, source);
    if (auto d = v.find_identity(destination)) {
        d->last_modified_ms = now_ms;
        v.save_identity(*d);
    }
    return merge_outcome::merged;
}

}  // namespace cogsync::api::identity
