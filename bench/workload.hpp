#pragma once

#include "bench/options.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <string_view>
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
    dataset_state new_state() const;

    std::string list_target(const sync_target& t, std::int64_t last_sync_count) const;
    std::string update_target(const sync_target& t) const;

    // Builds 1..max_patches "replace" patches on distinct keys, each carrying the SyncCount the
    // client last saw for that key.
    std::string make_update_body(rng_type& rng, const dataset_state& state,
                                 std::string_view session_token) const;

    // Folds a ListRecords body into `state` and returns its SyncSessionToken; nothing when the
    // body is not what PROTOCOL.md 3.2 describes.
    std::optional<std::string> apply_list_response(std::string_view body, dataset_state& state) const;

    // Folds an UpdateRecords body into `state`; false when the body is malformed.
    bool apply_update_response(std::string_view body, dataset_state& state) const;

private:
    std::string dataset_path(const sync_target& t) const;
    int key_index(std::string_view key) const;

    const bench_options& options_;
    std::string pool_path_;                   // "/identitypools/<encoded pool>/identities/"
    std::vector<std::string> identity_segments_;  // percent-encoded identity ids
    std::vector<std::string> key_names_;
};

// Percent-encodes one path segment: everything but RFC 3986 unreserved characters.
std::string encode_segment(std::string_view raw);

}  // namespace cogsync::bench
