#include "storage/sqlite/sqlite_store.hpp"

#include <stdexcept>

#include "storage/sqlite/checkpointer.hpp"
#include "storage/sqlite/connections.hpp"
#include "storage/sqlite/reader_pool.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/sql_view.hpp"
#include "storage/sqlite/store_metrics.hpp"
#include "storage/sqlite/writer.hpp"

namespace cogsync::storage {

// Member order is the shutdown order, reversed: the writer drains and stops first, then the
// checkpointer, then the readers close, and the writer connection closes last so that it can
// checkpoint and remove the WAL file.
struct sqlite_store::impl {
    explicit impl(store_options o)
        : opts(std::move(o)),
          writer_conn(open_writer(opts)),
          version(migrate(*writer_conn)),
          readers(opts.path),
          background(opts, rewind_due),
          // The backstop: twice the WAL the checkpointer asks to rewind (checkpointer.hpp).
          writes(*writer_conn, writer_options{.max_batch = opts.max_batch,
                                              .rewind_due = &rewind_due,
                                              .wal_backstop_frames = 2 * background.rewind_frames()}) {}

    store_options opts;
    std::unique_ptr<connection> writer_conn;
    int version;
    reader_pool readers;
    std::atomic<bool> rewind_due{false};
    checkpointer background;
    writer writes;
};

sqlite_store::sqlite_store(store_options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}

sqlite_store::~sqlite_store() = default;

void sqlite_store::write_async(write_job job, write_done done) {
    impl_->writes.submit(std::move(job), std::move(done));
}

void sqlite_store::check_may_wait() const {
    if (impl_->writes.on_writer_thread())
        throw std::logic_error("write() on the writer thread: it would wait for itself");
}

void sqlite_store::count_session(const std::string& pool) { impl_->writes.count_session(pool); }

int sqlite_store::schema_version() const { return impl_->version; }

std::vector<metric_sample> sqlite_store::engine_metrics() const {
    return store_metrics(impl_->opts.path, impl_->writes.stats());
}

// A deferred BEGIN: the snapshot is taken at fn's first query and holds until COMMIT, so all of
// fn's queries agree with each other. In WAL mode a reader never waits for the writer. A read
// nested in another read on the same thread shares the outer snapshot. On a thread that shares
// snapshots the transaction stays open after fn, and the next read reuses it if the writer has
// committed nothing since its BEGIN: the count is read before the BEGIN, so the snapshot holds
// at least every commit counted, and a write acknowledged to a client (after its count went up)
// is never missed. Reusing saves the BEGIN and COMMIT and SQLite's read-lock calls on the
// shared WAL index, which both I/O threads fight over.
void sqlite_store::run_read(const std::function<void(read_view&)>& fn) {
    auto& r = impl_->readers.for_this_thread();
    connection& conn = *r.conn;
    sql_view view(conn);
    if (r.depth > 0) return fn(view);
    const uint64_t commits = impl_->writes.transactions();
    if (conn.in_transaction() && !(r.share && r.commits == commits)) conn.run("COMMIT");
    if (!conn.in_transaction()) {
        conn.run("BEGIN");
        r.commits = commits;
    }
    ++r.depth;
    try {
        fn(view);
    } catch (...) {
        --r.depth;
        try {
            conn.run("ROLLBACK");
        } catch (const storage_error&) {
            // fn's own exception is the one to report
        }
        throw;
    }
    --r.depth;
    if (!r.share) conn.run("COMMIT");
}

void sqlite_store::share_read_snapshots() { impl_->readers.for_this_thread().share = true; }

void sqlite_store::release_read_snapshot() {
    auto& r = impl_->readers.for_this_thread();
    if (r.depth > 0 || !r.conn->in_transaction()) return;
    try {
        r.conn->run("COMMIT");
    } catch (const storage_error&) {
        try {
            r.conn->run("ROLLBACK");
        } catch (const storage_error&) {
            // the next read finds the transaction still open and ends it
        }
    }
}

}  // namespace cogsync::storage
