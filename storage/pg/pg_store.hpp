#pragma once
// The PostgreSQL engine: the store contract (storage/record_store.hpp) over a database that
// several cogsync nodes may share.
//
//  * Reads: a REPEATABLE READ, READ ONLY transaction on a pooled connection (pg_read_pool.hpp)
//    is the snapshot; a read nested in another on the same thread shares it.
//  * Writes: pg_writers.hpp (READ COMMITTED, reruns on serialization failures and deadlocks);
//    lock_identity is a transaction-level advisory lock (pg_view.cpp).
//  * The outbox's id-visibility rule: pg_view_hooks.cpp.
//  * Node state is a table, so every node reads the same token key.
//  * Session counts are tallied in memory and added to the database about once a second by a
//    background thread (and once more on close), which also purges expired session ids.
//  * The schema is versioned and migrated under an advisory lock at open (pg_schema.hpp).
//  * Outbox events wake every node: append_outbox sends a NOTIFY, delivered at commit to a
//    connection each store keeps LISTENing (on_outbox_committed).
#include <memory>

#include "storage/pg/pg_options.hpp"
#include "storage/record_store.hpp"

namespace cogsync::storage {

class pg_store final : public record_store {
public:
    // Connects, migrates, starts the writers and the session flusher. Throws storage_error when
    // the database cannot be reached or its schema is newer than this build.
    explicit pg_store(pg_options opts);
    ~pg_store() override;  // runs the queued writes, stores the session counts, closes
    pg_store(const pg_store&) = delete;
    pg_store& operator=(const pg_store&) = delete;

    void write_async(write_job job, write_done done) override;
    void count_session(const std::string& pool) override;
    int schema_version() const override;
    bool reachable() const override;
    void drain() override;
    // A connection of its own LISTENs for the NOTIFY every append_outbox sends at commit.
    void on_outbox_committed(std::function<void()> fn) override;
    // Round trips to the database, write jobs rerun, writes queued, and the pool sizes.
    std::vector<metric_sample> engine_metrics() const override;

private:
    void run_read(const std::function<void(read_view&)>& fn) override;
    void check_may_wait() const override;
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace cogsync::storage
