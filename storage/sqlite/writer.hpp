#pragma once
// The single writer: a thread that owns the writer connection and commits queued write jobs in
// groups, so that one fsync makes a whole batch durable.
//
// Per batch: BEGIN IMMEDIATE; for each job SAVEPOINT, fn, RELEASE (or ROLLBACK TO when fn returns
// false or throws); pending session counts and, now and then, the purge of expired session ids;
// one COMMIT. Each job's completion then gets fn's result, fn's own exception, or a storage_error
// when the batch could not commit; completions run on the writer thread, after the commit. A job
// that fails alone never takes the others down with it.
//
// The WAL only starts again from its beginning when a write transaction begins with every frame
// already copied to the database. Under constant writes the background checkpointer never gets
// there (the writer appends while it copies), so when it finds the WAL long it asks the writer,
// which, between two batches, copies the few frames written since (rewind_wal); the next batch
// then rewinds the WAL. A rewound WAL reuses its file's pages instead of growing the file. The
// writer also rewinds, unasked, a WAL the checkpointer has let grow to wal_backstop_frames.
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <thread>

#include "storage/record_store.hpp"
#include "storage/sqlite/session_tally.hpp"
#include "storage/sqlite/sql_view.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {

struct writer_options {
    std::size_t max_batch = 256;
    std::chrono::milliseconds flush_interval{1000};  // session counts reach disk at least this often
    std::chrono::milliseconds purge_interval{60000};  // expired used_sessions rows are purged
    // Set by the checkpointer when the WAL should start again from its beginning (see rewind_wal).
    std::atomic<bool>* rewind_due = nullptr;
    // A WAL of at least this many frames is rewound without waiting to be asked, at most once per
    // backstop_interval: the bound holds even when the checkpointer gets no CPU. 0: never.
    int64_t wal_backstop_frames = 0;
    std::chrono::milliseconds backstop_interval{100};
};

struct writer_stats {
    // Upper bounds of the batch-size histogram's buckets (jobs per batch); the last is +Inf.
    static constexpr std::array<uint64_t, 9> batch_bounds{1, 2, 4, 8, 16, 32, 64, 128, 256};

    uint64_t batches = 0;        // committed transactions
    uint64_t jobs = 0;           // write jobs run
    uint64_t largest_batch = 0;  // most jobs taken from the queue at once
    uint64_t wal_rewinds = 0;    // WAL rewinds the writer prepared (rewind_wal)
    // Batches per bucket, not cumulative: by_size[i] counts batches of at most batch_bounds[i]
    // jobs and more than the bound before; the last one those beyond every bound.
    std::array<uint64_t, batch_bounds.size() + 1> by_size{};
};

class writer {
public:
    using job_fn = record_store::write_job;
    using done_fn = record_store::write_done;

    // conn must be a migrated writer connection that outlives this object.
    writer(connection& conn, writer_options opts);
    // Runs everything still queued (completions included), flushes session counts, then stops
    // the thread.
    ~writer();
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    // Queues fn; done(kept, error) runs once fn's batch has committed or failed. Once the writer
    // is closing, done gets a storage_error at once on the caller's thread, unless the caller is
    // the writer thread itself (a completion chaining a write), whose job still runs.
    void submit(job_fn fn, done_fn done);
    // True on the writer thread: there, waiting for a submitted job would wait for ever.
    bool on_writer_thread() const;
    void count_session(const std::string& pool) { tally_.add(pool); }

    writer_stats stats() const;
    // Transactions run so far, housekeeping ones included; each is counted before its jobs'
    // completions are called, so a reader that sees the count unchanged since its snapshot began
    // has missed no acknowledged write.
    uint64_t transactions() const { return transactions_.load(std::memory_order_acquire); }
    std::size_t queued() const;  // jobs waiting for the next batch (for tests)

private:
    struct job;
    using clock = std::chrono::steady_clock;

    void run();
    bool take_batch(std::vector<std::unique_ptr<job>>& batch);
    bool housekeeping_due(clock::time_point now) const;
    void run_batch(std::span<const std::unique_ptr<job>> jobs);
    std::size_t run_transaction(std::span<const std::unique_ptr<job>> jobs, std::size_t from);
    void run_job(job& j);
    void finish_transaction();
    void flush_sessions(const session_tally::counts& counts);
    void purge_sessions();
    void rewind_wal();
    bool wal_behind() const;
    void abandon(std::span<const std::unique_ptr<job>> jobs, std::exception_ptr why);

    connection& conn_;
    sql_view view_;
    writer_options opts_;
    session_tally tally_;

    mutable std::mutex mu_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<job>> queue_;
    bool stopping_ = false;

    clock::time_point last_flush_ = clock::now();
    clock::time_point last_purge_ = clock::now();
    clock::time_point last_rewind_{};  // last rewind_wal, asked for or not
    int wal_frames_ = 0;  // frames in the WAL after the last commit (sqlite3_wal_hook)
    std::atomic<uint64_t> batches_{0}, jobs_{0}, largest_{0}, rewinds_{0}, transactions_{0};
    std::array<std::atomic<uint64_t>, writer_stats::batch_bounds.size() + 1> by_size_{};
    std::thread thread_;  // last: starts once every member above is ready
};

}  // namespace cogsync::storage
