#pragma once
// The write side of the PostgreSQL store: a few threads, each with its own connection, take
// write jobs from one queue and run each in its own READ COMMITTED transaction.
//
// READ COMMITTED, because every check-then-write rule takes its lock first (lock_identity,
// pg_view): each later statement of the job then sees what the lock's previous holder committed.
// REPEATABLE READ or SERIALIZABLE would take the job's snapshot at its first statement, the lock
// itself, before the wait, and turn every contended lock into a serialization failure and a rerun.
//
// A job that fails with a serialization failure (40001), a deadlock (40P01) or a unique
// violation (23505: a concurrent job inserted the same key after this one's check) is rolled back
// and run again, up to a bound, so callers never see these; the contract lets a job run more than
// once. Its done runs once, on the worker thread, after COMMIT or ROLLBACK.
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "storage/pg/pg_connection.hpp"
#include "storage/record_store.hpp"

namespace cogsync::storage {

class pg_writers {
public:
    using job_fn = record_store::write_job;
    using done_fn = record_store::write_done;

    pg_writers(std::string url, std::size_t threads);
    // Runs every queued job (and those their completions chain), then stops the threads.
    ~pg_writers();
    pg_writers(const pg_writers&) = delete;
    pg_writers& operator=(const pg_writers&) = delete;

    // Queues the job. Once closing, done gets a storage_error at once, unless the caller is a
    // worker thread (a completion chaining a write), whose job still runs.
    void submit(job_fn job, done_fn done);
    bool on_worker_thread() const;
    // Blocks until nothing is queued or running (jobs queued meanwhile included).
    void drain();
    // Jobs run again after a serialization failure, a deadlock or a unique-key race, so far.
    uint64_t reruns() const { return reruns_.load(std::memory_order_relaxed); }
    // Jobs finished (committed, rolled back or failed), each in a transaction of its own.
    uint64_t jobs() const { return jobs_.load(std::memory_order_relaxed); }
    // Jobs waiting for a writer thread now.
    std::size_t queued();

private:
    struct task {
        job_fn job;
        done_fn done;
    };
    void run();
    void run_task(std::unique_ptr<pg_connection>& conn, task& t);
    void begin_on(std::unique_ptr<pg_connection>& conn);

    std::string url_;
    std::mutex mu_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    std::deque<task> queue_;
    std::size_t in_flight_ = 0;
    bool stopping_ = false;
    std::atomic<uint64_t> reruns_{0};
    std::atomic<uint64_t> jobs_{0};
    std::vector<std::thread> threads_;  // last: start once everything above is ready
};

}  // namespace cogsync::storage
