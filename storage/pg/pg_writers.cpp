#include "storage/pg/pg_writers.hpp"

#include <pthread.h>

#include "storage/pg/pg_view.hpp"

namespace cogsync::storage {
namespace {

// Reruns before a conflict is reported after all: far beyond what contention produces, a bound
// only so that a job that violates a constraint on every run cannot loop for ever.
constexpr int max_runs = 1000;

thread_local const pg_writers* current_writers = nullptr;

bool worth_rerun(const pg_error& e) {
    return e.sqlstate() == "40001" || e.sqlstate() == "40P01" || e.sqlstate() == "23505";
}

void roll_back(pg_connection& c) {
    c.drop_deferred();  // BEGIN, or writes of a transaction that is rolled back anyway
    try {
        if (c.usable() && c.in_transaction()) c.run("ROLLBACK");
    } catch (const storage_error&) {
        // the job's own failure is the one to report; a broken connection is replaced
    }
}

// Ends a job's transaction. Its writes may still be deferred (pg_view): a kept job's go out with
// the COMMIT, in its round trip; a job that sent nothing yet (its BEGIN is still deferred) and
// keeps nothing, or wrote nothing, sends nothing.
void finish(pg_connection& c, bool kept, bool nothing_sent) {
    if (kept && !(nothing_sent && c.deferred_count() == 1)) {
        c.run("COMMIT");
    } else if (nothing_sent) {
        c.drop_deferred();
    } else {
        c.drop_deferred();
        c.run("ROLLBACK");
    }
}

}  // namespace

// BEGIN goes out with the job's first statement (one round trip fewer). A connection the server
// dropped since its last job (a restart, an idle timeout) is noticed here when the server said
// so (usable() reads it), else at the job's first round trip: a failure there, before any
// statement was answered and before the COMMIT, runs the job again on a new connection.
void pg_writers::begin_on(std::unique_ptr<pg_connection>& conn) {
    if (!conn || !conn->usable()) conn = std::make_unique<pg_connection>(url_);
    conn->defer("BEGIN");
}

pg_writers::pg_writers(std::string url, std::size_t threads) : url_(std::move(url)) {
    for (std::size_t i = 0; i < std::max<std::size_t>(threads, 1); ++i) threads_.emplace_back([this] { run(); });
}

pg_writers::~pg_writers() {
    {
        std::lock_guard lock(mu_);
        stopping_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
}

bool pg_writers::on_worker_thread() const { return current_writers == this; }

void pg_writers::submit(job_fn job, done_fn done) {
    {
        std::lock_guard lock(mu_);
        if (!stopping_ || on_worker_thread()) {
            queue_.push_back({std::move(job), std::move(done)});
            wake_.notify_one();
            return;
        }
    }
    done(false, std::make_exception_ptr(storage_error("the store is closing")));
}

void pg_writers::drain() {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return queue_.empty() && in_flight_ == 0; });
}

// A worker leaves once the store closes and nothing is queued or running: a running job's
// completion may still chain another.
void pg_writers::run() {
    pthread_setname_np(pthread_self(), "cogsync-pgwrite");
    current_writers = this;
    std::unique_ptr<pg_connection> conn;
    std::unique_lock lock(mu_);
    for (;;) {
        wake_.wait(lock, [&] { return !queue_.empty() || (stopping_ && in_flight_ == 0); });
        if (queue_.empty()) break;
        task t = std::move(queue_.front());
        queue_.pop_front();
        ++in_flight_;
        lock.unlock();
        run_task(conn, t);
        lock.lock();
        --in_flight_;
        if (in_flight_ == 0 && queue_.empty()) {
            idle_.notify_all();
            if (stopping_) wake_.notify_all();
        }
    }
}

std::size_t pg_writers::queued() {
    std::lock_guard lock(mu_);
    return queue_.size();
}

void pg_writers::run_task(std::unique_ptr<pg_connection>& conn, task& t) {
    bool kept = false;
    std::exception_ptr error;
    bool reconnected = false;
    for (int run = 1;; ++run) {
        uint64_t answered = 0;
        bool finishing = false;
        try {
            begin_on(conn);
            answered = conn->answered();
            pg_view view(*conn, true);
            kept = t.job(view);
            finishing = true;
            finish(*conn, kept, conn->answered() == answered);
            error = nullptr;
            break;
        } catch (const pg_error& e) {
            error = std::current_exception();
            // Not once the COMMIT went out: it may have carried every statement of the job, and
            // a connection lost after the server committed would look the same.
            const bool lost_unanswered =
                conn && !conn->usable() && conn->answered() == answered && !finishing;
            if (conn) roll_back(*conn);
            if (lost_unanswered && !reconnected) {
                reconnected = true;
                conn.reset();
                continue;
            }
            if (!worth_rerun(e) || run >= max_runs) break;
            reruns_.fetch_add(1, std::memory_order_relaxed);
        } catch (...) {
            error = std::current_exception();
            if (conn) roll_back(*conn);
            break;
        }
    }
    if (error) kept = false;
    jobs_.fetch_add(1, std::memory_order_relaxed);
    t.done(kept, error);
}

}  // namespace cogsync::storage
