#include "storage/sqlite/writer.hpp"

#include <pthread.h>
#include <sqlite3.h>

#include <algorithm>

namespace cogsync::storage {
namespace {

int64_t epoch_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// The writer thread's own writer: a blocking write() from a job or a completion would wait for
// itself, and a completion may still chain a write while the store drains.
thread_local const writer* running_writer = nullptr;

writer_options normalized(writer_options opts) {
    opts.max_batch = std::max<std::size_t>(1, opts.max_batch);
    return opts;
}

}  // namespace

struct writer::job {
    job_fn fn;
    done_fn done;
    bool ok = false;
    std::exception_ptr error;
};

writer::writer(connection& conn, writer_options opts)
    : conn_(conn), view_(conn), opts_(normalized(opts)), thread_([this] { run(); }) {}

writer::~writer() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void writer::submit(job_fn fn, done_fn done) {
    auto j = std::make_unique<job>();
    j->fn = std::move(fn);
    j->done = std::move(done);
    {
        // Notified under the lock: once the destructor can take mu_, no submit() still touches
        // wake_. A job handed over while the store closes is still run when the writer thread has
        // not finished draining (a completion chaining its next write); otherwise it is refused
        // through its done, like any other failure.
        std::lock_guard lock(mu_);
        if (!stopping_ || running_writer == this) {
            queue_.push_back(std::move(j));
            wake_.notify_one();
            return;
        }
    }
    j->done(false, std::make_exception_ptr(storage_error("record store is closing")));
}

bool writer::on_writer_thread() const { return running_writer == this; }

writer_stats writer::stats() const {
    writer_stats s{batches_.load(), jobs_.load(), largest_.load(), rewinds_.load(), {}};
    for (std::size_t i = 0; i < s.by_size.size(); ++i) s.by_size[i] = by_size_[i].load();
    return s;
}

std::size_t writer::queued() const {
    std::lock_guard lock(mu_);
    return queue_.size();
}

void writer::run() {
    pthread_setname_np(pthread_self(), "cogsync-writer");  // top -H, perf
    running_writer = this;
    if (opts_.wal_backstop_frames > 0)
        sqlite3_wal_hook(
            conn_.handle(),
            [](void* self, sqlite3*, const char*, int frames) {
                static_cast<writer*>(self)->wal_frames_ = frames;
                return SQLITE_OK;
            },
            this);
    std::vector<std::unique_ptr<job>> batch;
    while (take_batch(batch)) {
        if (!batch.empty() || housekeeping_due(clock::now())) run_batch(batch);
    }
    // The destructor promises that counts issued before it ran reach the file.
    if (!tally_.empty()) run_batch({});
}

// Waits for work (or the idle tick that flushes session counts), then moves up to max_batch jobs
// out of the queue. False once the store is closing and the queue is drained.
bool writer::take_batch(std::vector<std::unique_ptr<job>>& batch) {
    batch.clear();
    std::unique_lock lock(mu_);
    wake_.wait_for(lock, opts_.flush_interval, [&] { return !queue_.empty() || stopping_; });
    const auto n = std::min(queue_.size(), opts_.max_batch);
    batch.assign(std::make_move_iterator(queue_.begin()),
                 std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(n)));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(n));
    return n > 0 || !stopping_;
}

bool writer::housekeeping_due(clock::time_point now) const {
    return (!tally_.empty() && now - last_flush_ >= opts_.flush_interval) ||
           now - last_purge_ >= opts_.purge_interval;
}

void writer::run_batch(std::span<const std::unique_ptr<job>> jobs) {
    std::size_t next = 0;
    do {
        next = run_transaction(jobs, next);
    } while (next < jobs.size());
    transactions_.fetch_add(1, std::memory_order_release);
    if (!jobs.empty()) {
        ++batches_;
        jobs_ += jobs.size();
        largest_ = std::max<uint64_t>(largest_.load(), jobs.size());
        const auto& bounds = writer_stats::batch_bounds;
        ++by_size_[std::lower_bound(bounds.begin(), bounds.end(), jobs.size()) - bounds.begin()];
    }
    // A completion only posts its continuation; one that throws anyway must not stop the others.
    for (const auto& j : jobs) {
        try {
            j->done(j->ok, j->error);
        } catch (...) {
        }
    }
    if ((opts_.rewind_due && opts_.rewind_due->exchange(false)) || wal_behind()) rewind_wal();
}

// The backstop is rate-limited: while a reader still holds old frames a rewind cannot complete,
// and each attempt walks the whole WAL index.
bool writer::wal_behind() const {
    return opts_.wal_backstop_frames > 0 && wal_frames_ >= opts_.wal_backstop_frames &&
           clock::now() - last_rewind_ >= opts_.backstop_interval;
}

// A PASSIVE checkpoint on the writer's own connection, with no transaction open: nobody can
// append meanwhile, so it copies every frame not yet copied (those written since the
// checkpointer's last pass) unless a reader still needs an older one, and syncs the database
// file. SQLITE_BUSY (the checkpointer is at work) is harmless: it will ask again.
void writer::rewind_wal() {
    last_rewind_ = clock::now();
    int log = 0, copied = 0;
    const int rc = sqlite3_wal_checkpoint_v2(conn_.handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
    if (rc == SQLITE_OK && log == copied) ++rewinds_;
}

// Runs jobs[from..] in one transaction and returns the index of the first job not yet settled.
// That is jobs.size() unless SQLite itself ended the transaction midway (disk full, I/O error):
// the jobs run so far are then lost and fail, and the rest get a fresh transaction.
std::size_t writer::run_transaction(std::span<const std::unique_ptr<job>> jobs, std::size_t from) {
    try {
        conn_.run("BEGIN IMMEDIATE");
    } catch (...) {
        abandon(jobs.subspan(from), std::current_exception());
        return jobs.size();
    }
    std::size_t i = from;
    try {
        for (; i < jobs.size(); ++i) {
            run_job(*jobs[i]);
            if (!conn_.in_transaction())
                throw storage_error("the batch transaction was rolled back by SQLite");
        }
        finish_transaction();
        return jobs.size();
    } catch (...) {
        const std::size_t end = std::min(i + 1, jobs.size());
        abandon(jobs.subspan(from, end - from), std::current_exception());
        return end;
    }
}

void writer::run_job(job& j) {
    conn_.run("SAVEPOINT job");
    view_.begin_job();
    try {
        j.ok = j.fn(view_);
    } catch (...) {
        j.ok = false;
        j.error = std::current_exception();
    }
    if (!conn_.in_transaction()) return;  // run_transaction notices and abandons the batch
    if (!j.ok) conn_.run("ROLLBACK TO job");
    conn_.run("RELEASE job");
}

void writer::finish_transaction() {
    const auto counts = tally_.take();
    const auto now = clock::now();
    const bool purge = now - last_purge_ >= opts_.purge_interval;
    try {
        flush_sessions(counts);
        if (purge) purge_sessions();
        conn_.run("COMMIT");
    } catch (...) {
        tally_.restore(counts);
        throw;
    }
    last_flush_ = now;
    if (purge) last_purge_ = now;
}

// Only pools that hold a dataset keep a count: ListRecords on a never-written pool is a read, and
// a read must not grow the store (record_store::count_session).
void writer::flush_sessions(const session_tally::counts& counts) {
    for (const auto& [pool, n] : counts) {
        auto q = conn_.prepare(
            "INSERT INTO pool_sessions(pool, sessions)"
            " SELECT ?1, ?2 WHERE EXISTS(SELECT 1 FROM datasets WHERE pool = ?1)"
            " ON CONFLICT(pool) DO UPDATE SET sessions = sessions + excluded.sessions");
        q->bind_all(pool, n);
        q->step();
    }
}

void writer::purge_sessions() {
    auto q = conn_.prepare("DELETE FROM used_sessions WHERE expires_ms < ?1");
    q->bind_all(epoch_ms());
    q->step();
}

// Rolls back whatever is open and fails every job of `jobs` that has no error of its own yet.
void writer::abandon(std::span<const std::unique_ptr<job>> jobs, std::exception_ptr why) {
    if (conn_.in_transaction()) {
        try {
            conn_.run("ROLLBACK");
        } catch (const storage_error&) {
            // Nothing more to undo if even ROLLBACK fails; the jobs below are failed regardless.
        }
    }
    for (const auto& j : jobs) {
        j->ok = false;
        if (!j->error) j->error = why;
    }
}

}  // namespace cogsync::storage
