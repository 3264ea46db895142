#include "api/migrate/migrator.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "api/transfer/import_apply.hpp"

namespace cogsync::api::migrate {
namespace {

// The identity ids behind MergedDatasetNames ("<dataset>.<source identity id>", PROTOCOL.md 5.8):
// an identity id holds no '.', so the source is what follows the last one.
void add_merged(const std::vector<std::string>& names, std::set<std::string>& out) {
    for (const auto& name : names)
        if (auto dot = name.rfind('.'); dot != std::string::npos && name.find(':', dot) != std::string::npos)
            out.insert(name.substr(dot + 1));
}

storage::dataset deleted_dataset(const storage::dataset_id& id, int64_t count) {
    storage::dataset d;
    d.id = id;
    d.state = storage::dataset_state::deleted;
    d.sync_count = d.deleted_at = count;
    return d;
}

}  // namespace

migrator::migrator(source_api& source, migrate_writer& target, checkpoint& cp, std::function<void()> saved)
    : source_(source), target_(target), cp_(cp), saved_(std::move(saved)) {}

void migrator::run(const std::vector<std::string>& pools) {
    cp_.begin_run();
    for (const auto& pool_id : pools) {
        auto pool = source_.describe_pool(pool_id);
        std::vector<transfer::import_item> items{pool};
        if (auto config = source_.pool_config(pool_id)) items.emplace_back(std::move(*config));
        target_.apply(items);
        std::string next;
        do {
            auto page = source_.list_identities(pool_id, next);
            for (const auto& li : page.identities) migrate_identity(pool, li);
            next = page.next_token;
        } while (!next.empty());
    }
    cp_.complete = true;
    saved_();
}

void migrator::migrate_identity(const storage::identity_pool& pool, const listed_identity& li) {
    auto& progress = cp_.pools[pool.id][li.identity.id];
    if (progress.run == cp_.run) {
        ++n_.identities_skipped;
        return;
    }
    transfer::identity_entry entry{li.identity, {}, {}};
    const bool oidc = read_logins(pool, li, entry.logins);
    std::vector<transfer::import_item> items;
    std::map<std::string, int64_t> counts;
    std::set<std::string> merged;
    for (auto& meta : source_.list_datasets(pool.id, li.identity.id)) {
        const auto name = meta.id.name;
        auto known = progress.datasets.find(name);
        int64_t count = 0;
        std::vector<std::string> merged_names;
        read_dataset(std::move(meta), known == progress.datasets.end() ? nullptr : &known->second, items, count,
                     merged_names);
        if (count > 0) counts[name] = count;
        add_merged(merged_names, merged);
    }
    read_deletions(pool.id, li.identity.id, progress.datasets, counts, items);
    entry.merged.assign(merged.begin(), merged.end());
    items.insert(items.begin(), std::move(entry));
    if (!target_.apply(items)) {
        ++n_.identities_refused;
        return;
    }
    if (oidc) ++n_.oidc_links_lost;
    ++n_.identities;
    progress.run = cp_.run;
    progress.datasets = std::move(counts);
    saved_();
}

// Developer users are listed by LookupDeveloperIdentity; other providers' subjects are not in the
// public API (README "Migrating off AWS"). True when the identity has such a login.
bool migrator::read_logins(const storage::identity_pool& pool, const listed_identity& li,
                           std::vector<storage::identity_login>& logins) {
    bool other = false;
    for (const auto& provider : li.providers) {
        if (provider != pool.developer_provider_name) {
            other = true;
            continue;
        }
        for (auto& user : source_.developer_users(pool.id, li.identity.id))
            logins.push_back({provider, std::move(user)});
    }
    return other;
}

// The checkpoint's datasets that ListDatasets no longer lists and the source no longer has are
// written deleted, so devices learn of the deletion; they leave the checkpoint, so a later run
// copies such a dataset whole if it is created again.
void migrator::read_deletions(const std::string& pool, const std::string& identity,
                              const std::map<std::string, int64_t>& known,
                              const std::map<std::string, int64_t>& listed, std::vector<transfer::import_item>& items) {
    for (const auto& [name, count] : known) {
        if (listed.count(name)) continue;
        storage::dataset_id id{pool, identity, name};
        auto gone = source_.list_records(id, count);
        if (gone.exists) continue;  // created after ListDatasets answered: the next run takes it
        items.emplace_back(deleted_dataset(id, std::max(gone.dataset_sync_count, count + 1)));
        ++n_.datasets_deleted;
    }
}

void migrator::read_dataset(storage::dataset meta, const int64_t* known, std::vector<transfer::import_item>& items,
                            int64_t& count, std::vector<std::string>& merged_names) {
    const auto id = meta.id;
    std::map<std::string, storage::record> records;
    auto listing = source_.list_records(id, known ? *known : 0);
    merged_names = listing.merged_names;
    if (!listing.exists) return;
    if (known && !listing.deleted_after && listing.records.empty() && listing.dataset_sync_count == *known) {
        count = *known;
        ++n_.datasets_unchanged;
        return;
    }
    std::optional<std::vector<storage::record>> base;
    if (known && !listing.deleted_after) base = target_.records_at(id, *known);
    // Deleted and created again since the known count: the delete came after it, so a device
    // still at that count is told so (DatasetDeletedAfterRequestedSyncCount) and lists afresh.
    const int64_t deleted_at = known && listing.deleted_after ? *known + 1 : 0;
    if (known && !base) listing = source_.list_records(id, 0);
    if (base)
        for (auto& r : *base) records.emplace(r.key, std::move(r));
    for (auto& r : listing.records) records[r.key] = std::move(r);
    transfer::dataset_block block;
    block.d = std::move(meta);
    block.d.sync_count = listing.dataset_sync_count;
    block.d.deleted_at = deleted_at;
    for (auto& [key, r] : records) block.records.emplace_back(0, std::move(r));
    items.emplace_back(transfer::with_tallies(block));
    for (auto& [line, r] : block.records) items.emplace_back(transfer::record_entry{id, std::move(r)});
    count = listing.dataset_sync_count;
    ++n_.datasets;
}

}  // namespace cogsync::api::migrate
