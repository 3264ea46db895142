#pragma once
// Loads the lines of an export file into a store through its write path, in batches (one write
// job per batch of lines), applying the import rules (README "Export and import"):
//  * A dataset and the record lines that follow it load together or not at all: a dataset
//    with some of its records would carry a sync count that promises records it lacks, and a
//    client that synced to that count would never receive them.
//  * A dataset already in the store is replaced only by one with a higher sync count; an equal
//    count leaves it untouched (so importing a file twice changes nothing), a lower one is
//    refused. A pool configuration or device that differs from the stored one is refused,
//    never overwritten; an identical one is left untouched.
//  * The server's limits (datasets per identity, records, tombstones and bytes per dataset,
//    devices per identity, subscribers per dataset) hold for what is loaded.
//  * Nothing is appended to the outbox: hooks do not hear of imported data.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "api/sync_rules.hpp"
#include "storage/record_store.hpp"

namespace cogsync::api::transfer {

struct import_limits {
    sync_limits sync;
    int64_t max_devices = 20;
    int64_t max_subscriptions = 20;
};

struct import_counts {
    int64_t lines = 0;      // lines read, the header included
    int64_t loaded = 0;     // lines written or already in the store as they are (unchanged)
    int64_t unchanged = 0;  // of loaded: already in the store, nothing written
    int64_t refused = 0;    // lines not loaded, each reported or covered by its dataset's report
    int64_t datasets = 0;   // datasets written
    int64_t records = 0;    // records written
};

class import_loader {
public:
    // refuse(line, reason) hears of each refused line, in line order within a batch.
    using refusal = std::function<void(int64_t line, const std::string& reason)>;
    import_loader(storage::record_store& store, import_limits limits, refusal refuse);
    ~import_loader();
    import_loader(const import_loader&) = delete;
    import_loader& operator=(const import_loader&) = delete;

    // Line `line_no` (1-based) without its newline. The first line must be the header; when it is
    // refused, every later line is too and add returns false: stop reading.
    bool add(int64_t line_no, std::string_view text);
    // A line too long to hold (api/transfer/import_line.hpp max_line_bytes), not read.
    void add_too_long(int64_t line_no);
    // Writes what is still held; call once after the last line.
    void finish();
    const import_counts& counts() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace cogsync::api::transfer
