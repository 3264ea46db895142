#include "storage/pg/pg_store.hpp"

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "storage/pg/pg_read_pool.hpp"
#include "storage/pg/pg_schema.hpp"
#include "storage/pg/pg_view.hpp"
#include "storage/pg/pg_writers.hpp"
#include "storage/sqlite/session_tally.hpp"

namespace cogsync::storage {
namespace {

int64_t epoch_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

int open_and_migrate(const std::string& url) {
    pg_connection c(url);
    return pg_migrate(c);
}

// The read in progress on this thread, so that a nested read of the same store shares it.
struct open_read {
    const void* store;
    pg_view* view;
};
thread_local open_read current_read{nullptr, nullptr};

}  // namespace

// Member order is the shutdown order, reversed: the flusher stops (storing the last counts
// through the writers), then the writers drain, then the read connections close.
struct pg_store::impl {
    explicit impl(pg_options o)
        : opts(std::move(o)),
          version(open_and_migrate(opts.url)),
          readers(opts.url, opts.readers),
          writers(opts.url, opts.writers),
          flusher([this] { flush_loop(); }),
          listener([this] { listen_loop(); }) {}

    ~impl() {
        {
            std::lock_guard lock(mu);
            stopping = true;
        }
        wake.notify_all();
        flusher.join();
        listener.join();
    }

    void flush_loop();
    void listen_loop();
    void flush(bool purge);

    pg_options opts;
    int version;
    pg_read_pool readers;
    pg_writers writers;
    session_tally tally;
    std::mutex mu;
    std::condition_variable wake;
    bool stopping = false;
    std::mutex outbox_mu;  // held while on_outbox runs
    std::function<void()> on_outbox;
    std::thread flusher;  // last: start once everything above is ready
    std::thread listener;
};

// Reconnects a second after losing its connection (a restart); a notification missed meanwhile
// costs only latency, since every sink looks at the outbox at its own tick too.
void pg_store::impl::listen_loop() {
    std::unique_ptr<pg_connection> c;
    for (;;) {
        {
            std::lock_guard lock(mu);
            if (stopping) return;
        }
        try {
            if (!c) {
                c = std::make_unique<pg_connection>(opts.url);
                c->run("LISTEN cogsync_outbox");
            }
            if (c->wait_notification(200)) {
                std::lock_guard lock(outbox_mu);
                if (on_outbox) on_outbox();
            }
        } catch (const std::exception&) {
            c.reset();
            std::unique_lock lock(mu);
            wake.wait_for(lock, std::chrono::seconds(1), [&] { return stopping; });
        }
    }
}

void pg_store::on_outbox_committed(std::function<void()> fn) {
    std::lock_guard lock(impl_->outbox_mu);
    impl_->on_outbox = std::move(fn);
}

void pg_store::impl::flush_loop() {
    auto last_purge = std::chrono::steady_clock::now();
    std::unique_lock lock(mu);
    for (;;) {
        const bool stop = wake.wait_for(lock, opts.flush_interval, [&] { return stopping; });
        lock.unlock();
        const auto now = std::chrono::steady_clock::now();
        const bool purge = !stop && now - last_purge >= opts.purge_interval;
        readers.end_idle_reads();
        try {
            flush(purge);
            if (purge) last_purge = now;
        } catch (const std::exception&) {
            // the counts were put back; the next round tries again (on close they are lost,
            // as counters rather than user data may be)
        }
        lock.lock();
        if (stop) return;
    }
}

// Only pools that hold a dataset keep a count: a read must not grow the store
// (record_store::count_session).
void pg_store::impl::flush(bool purge) {
    const auto counts = tally.take();
    if (counts.empty() && !purge) return;
    std::promise<void> over;
    std::exception_ptr failure;
    writers.submit(
        [&](write_view& v) {
            auto& view = static_cast<pg_view&>(v);
            view.add_sessions(counts);
            if (purge) view.purge_sessions(epoch_ms());
            return true;
        },
        [&](bool, std::exception_ptr error) {
            failure = error;
            over.set_value();
        });
    over.get_future().wait();
    if (failure) {
        tally.restore(counts);
        std::rethrow_exception(failure);
    }
}

pg_store::pg_store(pg_options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}

pg_store::~pg_store() = default;

void pg_store::write_async(write_job job, write_done done) { impl_->writers.submit(std::move(job), std::move(done)); }

void pg_store::check_may_wait() const {
    if (impl_->writers.on_worker_thread())
        throw std::logic_error("write() on a writer thread: it would wait for itself");
}

void pg_store::drain() {
    check_may_wait();
    impl_->writers.drain();
}

void pg_store::count_session(const std::string& pool) { impl_->tally.add(pool); }

int pg_store::schema_version() const { return impl_->version; }

bool pg_store::reachable() const {
    try {
        impl_->readers.take_and_run("SELECT 1");
        return true;
    } catch (const storage_error&) {
        return false;
    }
}

std::vector<metric_sample> pg_store::engine_metrics() const {
    auto n = [](auto v) { return static_cast<double>(v); };
    std::vector<metric_sample> out;
    // The database's size, as the SQLite store reports its file's; left out while it is down.
    try {
        auto c = impl_->readers.take();
        out.push_back({"cogsync_database_bytes", "gauge", "Size of the PostgreSQL database (pg_database_size).", "",
                       {}, n(c->exec("SELECT pg_database_size(current_database())").integer(0, 0))});
    } catch (const storage_error&) {
    }
    std::vector<metric_sample> engine{
        {"cogsync_pg_round_trips_total", "counter",
         "Requests sent to PostgreSQL and waited for (statements, prepares, BEGIN, COMMIT).", "", {},
         n(pg_connection::round_trips())},
        {"cogsync_write_jobs_total", "counter", "Write jobs run, each in a transaction of its own.", "", {},
         n(impl_->writers.jobs())},
        {"cogsync_pg_write_reruns_total", "counter",
         "Write jobs run again after a serialization failure, deadlock or unique-key race.", "", {},
         n(impl_->writers.reruns())},
        {"cogsync_pg_writes_queued", "gauge", "Write jobs waiting for one of the writer connections.", "", {},
         n(impl_->writers.queued())},
        {"cogsync_pg_connections", "gauge", "Most connections of each pool (--store's writers and readers).", "",
         {{"pool", "writers"}}, n(impl_->opts.writers)},
        {"cogsync_pg_connections", "gauge", "Most connections of each pool (--store's writers and readers).", "",
         {{"pool", "readers"}}, n(impl_->opts.readers)},
    };
    out.insert(out.end(), engine.begin(), engine.end());
    return out;
}

namespace {

// The read's BEGIN may still be deferred, after the COMMIT of the connection's previous read.
void roll_back_read(pg_connection& c) {
    if (!c.usable()) return;
    if (c.has_deferred() && !c.in_transaction()) {  // nothing went out: nothing to roll back
        c.drop_deferred();
        return;
    }
    try {
        c.run("ROLLBACK");
    } catch (const storage_error&) {
        // the read's own failure is the one to report
    }
}

}  // namespace

// BEGIN goes out with the read's first statement (one round trip fewer). A pooled connection the
// server dropped since its last use (a restart) fails there, before fn saw any data: the read
// runs again, once, on a new connection, and the idle ones are not handed out untried again.
void pg_store::run_read(const std::function<void(read_view&)>& fn) {
    if (current_read.store == this) return fn(*current_read.view);
    for (int attempt = 1;; ++attempt) {
        auto c = impl_->readers.take();
        c->defer("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        const auto answered = c->answered();  // unchanged at a failure: nothing of fn's answered
        pg_view view(*c, false);
        const open_read outer = current_read;
        current_read = {this, &view};
        try {
            fn(view);
        } catch (const pg_error&) {
            current_read = outer;
            if (attempt == 1 && !c->usable() && c->answered() == answered) {
                impl_->readers.drop_idle();
                continue;
            }
            roll_back_read(*c);
            throw;
        } catch (...) {
            current_read = outer;
            roll_back_read(*c);
            throw;
        }
        current_read = outer;
        // The COMMIT goes out with the connection's next statement (or within a second,
        // pg_read_pool::end_idle_reads). When BEGIN is still deferred, fn read nothing; when the
        // transaction never began (fn caught the failure of its first round trip), there is
        // nothing to end.
        if (c->has_deferred()) c->undefer_last();
        else if (c->usable() && c->in_transaction()) c->defer("COMMIT");
        return;
    }
}

}  // namespace cogsync::storage
