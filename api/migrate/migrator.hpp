#pragma once
// `cogsync migrate`'s walk over a source deployment (README "Migrating off AWS"): for each pool its
// description and configuration, then identity by identity (ListIdentities) its developer users
// and datasets with their records, each identity committed to the target as one unit before the
// checkpoint records it. Datasets the checkpoint knows are asked only for what changed after the
// count it holds (ListRecords' lastSyncCount), applied over the target's copy at that count.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "api/migrate/checkpoint.hpp"
#include "api/migrate/migrate_writer.hpp"
#include "api/migrate/source_api.hpp"

namespace cogsync::api::migrate {

struct migrate_counts {
    int64_t identities = 0;          // identities written or found unchanged
    int64_t identities_skipped = 0;  // finished by the run this one resumes
    int64_t identities_refused = 0;  // with a refused item: visited again by the next run
    int64_t datasets = 0;            // datasets read in full or as a delta
    int64_t datasets_unchanged = 0;  // nothing changed since the checkpoint's count
    int64_t datasets_deleted = 0;    // deleted on the source since the last run
    int64_t oidc_links_lost = 0;     // identities with logins the public API cannot name (README)
};

class migrator {
public:
    // saved() runs after each unit the checkpoint now covers: the caller writes it out.
    migrator(source_api& source, migrate_writer& target, checkpoint& cp, std::function<void()> saved);
    // Runs (or resumes) over the pools; rethrows the source's errors once its retries are spent.
    void run(const std::vector<std::string>& pools);
    const migrate_counts& counts() const { return n_; }

private:
    void migrate_identity(const storage::identity_pool& pool, const listed_identity& li);
    bool read_logins(const storage::identity_pool& pool, const listed_identity& li,
                     std::vector<storage::identity_login>& logins);
    void read_deletions(const std::string& pool, const std::string& identity,
                        const std::map<std::string, int64_t>& known, const std::map<std::string, int64_t>& listed,
                        std::vector<transfer::import_item>& items);
    // Adds the dataset's items (dataset, then records) unless unchanged; `count` is its sync count
    // then (0 when the source no longer has it).
    void read_dataset(storage::dataset meta, const int64_t* known, std::vector<transfer::import_item>& items,
                      int64_t& count, std::vector<std::string>& merged_names);
    source_api& source_;
    migrate_writer& target_;
    checkpoint& cp_;
    std::function<void()> saved_;
    migrate_counts n_;
};

}  // namespace cogsync::api::migrate
