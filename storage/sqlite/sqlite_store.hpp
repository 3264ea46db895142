#pragma once
// The embedded engine: SQLite in WAL mode. One writer connection on its own thread commits the
// queued write jobs in groups (one fsync per batch, each job in its own savepoint, so one job's
// rollback never touches the others); read-only connections, one per reading thread, read their
// snapshots without ever waiting for the writer; checkpoints run off the request path.
//
// With one writer, every job is serialized: lock_identity() has nothing left to do, commits
// happen in outbox-id order, and a job never needs a retry.
#include <memory>

#include "storage/record_store.hpp"
#include "storage/sqlite/options.hpp"

namespace cogsync::storage {

class sqlite_store final : public record_store {
public:
    // Opens (creating if needed) and migrates the database, starts the writer and checkpointer.
    explicit sqlite_store(store_options opts);
    ~sqlite_store() override;  // runs the queued writes, stops threads, closes connections
    sqlite_store(const sqlite_store&) = delete;
    sqlite_store& operator=(const sqlite_store&) = delete;

    void write_async(write_job job, write_done done) override;
    void share_read_snapshots() override;
    void release_read_snapshot() override;
    void count_session(const std::string& pool) override;
    int schema_version() const override;
    // Database and WAL file sizes, write batches and jobs, and the batch-size histogram.
    std::vector<metric_sample> engine_metrics() const override;

private:
    void run_read(const std::function<void(read_view&)>& fn) override;
    void check_may_wait() const override;
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace cogsync::storage
