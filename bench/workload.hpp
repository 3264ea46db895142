#pragma once

#include "bench/options.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cogsync::bench {

using rng_type = std::mt19937_64;

// One dataset of one identity. dataset == datasets_per_identity names the shared "hot" dataset.
struct sync_target {
    int identity = 0;
    int dataset = 0;

    std::uint64_t id() const { return std::uint64_t(identity) * 64 + std::uint64_t(dataset); }
};

// A client's local copy of what it knows about a dataset, as a device keeps it: the last
// DatasetSyncCount it pulled and each key's SyncCount (0 = never seen, PROTOCOL.md 5.2 fact 2).
struct dataset_state {
    std::int64_t last_sync_count_ = 0;
    std::vector<std::int64_t> key_sync_counts_;

    void reset() {
        last_sync_count_ = 0;
        std::fill(key_sync_counts_.begin(), key_sync_counts_.end(), 0);
    }
};

using key_count = std::pair<std::string, std::int64_t>;  // a record's Key and SyncCount

// What a ListRecords answer says (PROTOCOL.md 3.2).
struct list_page {
    std::string token;
    std::int64_t dataset_sync_count = 0;
    // DatasetExists false, or DatasetDeletedAfterRequestedSyncCount true: a client starts over
    // (PROTOCOL.md 5.7).
    bool start_over = false;
    std::vector<key_count> records;
};

// Nothing when the body is not what PROTOCOL.md 3.2 describes.
std::optional<list_page> parse_list_response(std::string_view body);

// The records an UpdateRecords answer returns; nothing when the body is malformed.
std::optional<std::vector<key_count>> parse_update_response(std::string_view body);

// The shape of the data set and the wire format of the two sync calls. Immutable after
// construction, so all client threads share one instance.
//
// Identity i belongs to client (i mod clients): a device that owns its identity never races
// anyone on its private datasets. A --hot-fraction share of cycles goes to one of --hot-datasets
// datasets that every client writes, which is where 409s come from (PROTOCOL.md 5.4).
class workload {
public:
    explicit workload(const bench_options& options);

    sync_target pick(rng_type& rng, int client_index, int client_count) const;
    // As pick, but never a hot dataset.
    sync_target pick_private(rng_type& rng, int client_index, int client_count) const;
    // The state of a dataset the client has not listed yet: empty, or with --populated what the
    // populate phase wrote into a private dataset.
    dataset_state new_state(const sync_target& t) const;

    // The private dataset number `n` of the populate phase: identity n / datasets, dataset n % datasets.
    sync_target populate_target(int n) const;
    int populate_count() const { return options_.identities * options_.datasets_per_identity; }

    std::string list_target(const sync_target& t, std::int64_t last_sync_count) const;
    std::string update_target(const sync_target& t) const;

    // The trigger phase writes dataset "slow" of the identity just past the --identities others.
    std::string trigger_list_target() const;
    std::string trigger_update_target() const;
    // POST body for SetCognitoEvents: the pool's SyncTrigger, or none for an empty `arn`.
    std::string events_target() const;
    static std::string events_body(std::string_view arn);

    // Builds 1..max_patches "replace" patches on distinct keys, each carrying the SyncCount the
    // client last saw for that key.
    std::string make_update_body(rng_type& rng, const dataset_state& state,
                                 std::string_view session_token) const;
    // A "replace" patch for every key.
    std::string make_populate_body(rng_type& rng, const dataset_state& state,
                                   std::string_view session_token) const;
    // One "replace" patch of `key`, which the caller last saw at `sync_count`.
    std::string make_key_body(rng_type& rng, std::string_view key, std::int64_t sync_count,
                              std::string_view session_token) const;

    // Folds a ListRecords body into `state` and returns its SyncSessionToken; nothing when the
    // body is not what PROTOCOL.md 3.2 describes.
    std::optional<std::string> apply_list_response(std::string_view body, dataset_state& state) const;

    // Folds an UpdateRecords body into `state`; false when the body is malformed.
    bool apply_update_response(std::string_view body, dataset_state& state) const;

private:
    std::string dataset_path(const sync_target& t) const;
    int key_index(std::string_view key) const;
    // `keys` are indexes into key_names_, each patched with the SyncCount in `state`.
    std::string patches_body(rng_type& rng, const dataset_state& state, const std::vector<int>& keys,
                             std::string_view session_token) const;
    std::string patch_list_body(rng_type& rng, const std::vector<std::pair<std::string_view, std::int64_t>>& patches,
                                std::string_view session_token) const;

    const bench_options& options_;
    std::string pool_path_;                   // "/identitypools/<encoded pool>/identities/"
    std::vector<std::string> key_names_;
};

// Percent-encodes one path segment: everything but RFC 3986 unreserved characters.
std::string encode_segment(std::string_view raw);

}  // namespace cogsync::bench
