#include "storage/record_store.hpp"

#include "storage/checkpointer.hpp"
#include "storage/connections.hpp"
#include "storage/reader_pool.hpp"
#include "storage/schema.hpp"
#include "storage/sql_view.hpp"
#include "storage/writer.hpp"

namespace cogsync::storage {

// Member order is the shutdown order, reversed: the writer drains and stops first, then the
// checkpointer, then the readers close, and the writer connection closes last so that it can
// checkpoint and remove the WAL file.
struct record_store::impl {
    explicit impl(store_options o)
        : opts(std::move(o)),
          writer_conn(open_writer(opts)),
          version(migrate(*writer_conn)),
          readers(opts.path),
          background(opts),
          writes(*writer_conn, writer_options{.max_batch = opts.max_batch}) {}

    store_options opts;
    std::unique_ptr<connection> writer_conn;
    int version;
    reader_pool readers;
    checkpointer background;
    writer writes;
};

record_store::record_store(store_options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}

record_store::~record_store() = default;

bool record_store::write(const std::function<bool(write_view&)>& fn) { return impl_->writes.submit(fn); }

void record_store::count_session(const std::string& pool) { impl_->writes.count_session(pool); }

int record_store::schema_version() const { return impl_->version; }

// A deferred BEGIN: the snapshot is taken at fn's first query and holds until COMMIT, so all of
// fn's queries agree with each other. In WAL mode a reader never waits for the writer. A read
// nested in another read on the same thread shares the outer snapshot.
void record_store::run_read(const std::function<void(read_view&)>& fn) {
    connection& conn = impl_->readers.for_this_thread();
    sql_view view(conn);
    if (conn.in_transaction()) return fn(view);
    conn.run("BEGIN");
    try {
        fn(view);
    } catch (...) {
        try {
            conn.run("ROLLBACK");
        } catch (const storage_error&) {
            // fn's own exception is the one to report
        }
        throw;
    }
    conn.run("COMMIT");
}

}  // namespace cogsync::storage
