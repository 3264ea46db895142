#pragma once
// Every line of an export of one store snapshot, in the format's fixed order: the header, identity
// pools by id each followed by its identities by id, pool configurations by pool, devices by (pool, identity, device id), datasets by (pool, identity,
// name) each followed by its records by key, then subscriptions by (pool, identity, dataset,
// device id). Rows are read in pages, so memory stays bounded whatever the store's size; the
// same data always gives the same lines.
#include <cstdint>
#include <functional>
#include <string>

#include "storage/record_store.hpp"

namespace cogsync::api::transfer {

struct export_counts {
    int64_t lines = 0;  // the header included
    int64_t pools = 0;
    int64_t devices = 0;
    int64_t datasets = 0;
    int64_t records = 0;
    int64_t subscriptions = 0;
    int64_t identity_pools = 0;
    int64_t identities = 0;
};

// Run it inside one read (record_store::read) so that every line comes from the same snapshot.
// `out` gets each line without its newline.
export_counts export_store(storage::read_view& v, const std::string& header,
                           const std::function<void(const std::string&)>& out);

// About how many lines export_store will write (datasets and their records and tombstones,
// which dominate), for a progress estimate; one pass over the datasets.
int64_t estimate_export_lines(storage::read_view& v);

}  // namespace cogsync::api::transfer
