// cogsync_store_floor: what SQLite alone charges for an UpdateRecords on a populated store, with no
// server, no HTTP and no client in between. One thread commits batches of jobs shaped like the
// server's UpdateRecords, fewer statements than the server runs (look the dataset up by
// pool/identity/name, read one record by (dataset, key), spend a session id, update the dataset row
// and the record row by rowid), on datasets drawn uniformly from the store, while a second thread
// checkpoints the way the server's checkpointer mostly does (background_checkpointer below, not the
// server's class: see there); it prints jobs/s and the CPU per job of each thread as JSON. Run on
// copies of the 10,000- and the 1,000,000-identity populations (bench/floor.sh), the ratio of the
// two is a floor under the server's own 1M/10k write ratio: the same statements cost that much more
// on the larger store whatever the server around them.
//
//   cp cogsync.db /tmp/floor.db && cogsync_store_floor --db /tmp/floor.db --seconds 10
//
// Writes to the file it is given; never point it at a store in use.
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace {

struct options {
    std::string db;
    double seconds = 10;
    double warmup = 2;
    int batch = 32;
    std::string sync = "full";
    int cache_kib = 32768;
    int64_t mmap_bytes = 0;
    // server: a second thread, as the server does; sqlite: SQLite's own, on the writer, every
    // 1000 pages; none: the WAL grows for the whole run.
    std::string checkpoints = "server";
    // rowid: the server's schema (datasets and records rowid tables, looked up through their unique
    // indexes); clustered: both WITHOUT ROWID, keyed (pool, identity, name) and (dataset, key),
    // one b-tree less each (a converted copy; see bench/README.md).
    std::string schema = "rowid";
    int active = 0;  // 0: every dataset of the store
    unsigned seed = 1;
};

void check(int rc, sqlite3* db, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_ROW && rc != SQLITE_DONE)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

void exec(sqlite3* db, const std::string& sql) {
    check(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), db, sql.c_str());
}

struct statement {
    sqlite3* db;
    sqlite3_stmt* s = nullptr;
    statement(sqlite3* d, const char* sql) : db(d) {
        check(sqlite3_prepare_v3(d, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr), d, sql);
    }
    ~statement() { sqlite3_finalize(s); }
    // A parameter past the statement's last one is skipped (the two schemas' statements differ).
    statement& text(int i, const std::string& v) {
        if (i <= sqlite3_bind_parameter_count(s)) sqlite3_bind_text(s, i, v.data(), int(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    statement& num(int i, int64_t v) {
        if (i <= sqlite3_bind_parameter_count(s)) sqlite3_bind_int64(s, i, v);
        return *this;
    }
    bool step() {
        const int rc = sqlite3_step(s);
        check(rc, db, sqlite3_sql(s));
        return rc == SQLITE_ROW;
    }
    int64_t column(int i) const { return sqlite3_column_int64(s, i); }
    void reset() { sqlite3_reset(s); }
};

struct dataset_key { int64_t id; std::string pool, identity, name; };

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + double(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

double thread_cpu_seconds() {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// The server's arrangement (storage/sqlite/checkpointer.cpp), in part: a second connection copies
// the WAL every 200 ms and starts the database file's writeback; once the WAL holds 128 MiB it
// asks the writer to copy the rest between two transactions, after which the next one rewinds
// the WAL. Left out: the server's second pass before asking, its nice value, and the TRUNCATE
// checkpoint of a WAL file past wal_truncate_bytes (256 MiB). That truncation is not free where
// it fires: run with the server's class, this tool's million-identity writer (which, unlike the
// server's, sets no journal_size_limit, so its WAL file stays past 256 MiB once there) took
// 96-118 us per job instead of 66-68 (normal, 2 interleaved pairs), 52-55 with the truncation
// switched off. The server's own WAL peaked at 234 MiB in a 12 s UpdateRecords run at a million
// identities, so there it did not fire.
struct background_checkpointer {
    std::atomic<bool> stop{false}, rewind_due{false};
    std::atomic<double> cpu{0};
    std::thread thread;

    explicit background_checkpointer(const std::string& path) {
        thread = std::thread([this, path] {
            sqlite3* db = nullptr;
            check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), db, "open");
            exec(db, "PRAGMA journal_mode = WAL");  // else its checkpoints find no WAL and do nothing
            const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
            while (!stop.load()) {
                std::this_thread::sleep_for(std::chrono::milliseconds(200));
                int log = 0, copied = 0;
                const int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, &log, &copied);
                if (rc == SQLITE_OK) {
                    if (copied > 0) ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
                    if (log >= 32768) rewind_due = true;
                }
                cpu = thread_cpu_seconds();
            }
            ::close(fd);
            sqlite3_close(db);
        });
    }
    ~background_checkpointer() {
        stop = true;
        thread.join();
    }
};

std::vector<dataset_key> load_datasets(sqlite3* db) {
    std::vector<dataset_key> out;
    statement q(db, "SELECT id, pool, identity, name FROM datasets");
    while (q.step())
        out.push_back({q.column(0), reinterpret_cast<const char*>(sqlite3_column_text(q.s, 1)),
                       reinterpret_cast<const char*>(sqlite3_column_text(q.s, 2)),
                       reinterpret_cast<const char*>(sqlite3_column_text(q.s, 3))});
    return out;
}

int run(const options& o) {
    sqlite3* db = nullptr;
    check(sqlite3_open_v2(o.db.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), db, "open");
    exec(db, "PRAGMA journal_mode = WAL");
    exec(db, o.sync == "full" ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
    exec(db, "PRAGMA cache_size = -" + std::to_string(o.cache_kib));
    exec(db, "PRAGMA mmap_size = " + std::to_string(o.mmap_bytes));
    exec(db, o.checkpoints == "sqlite" ? "PRAGMA wal_autocheckpoint = 1000" : "PRAGMA wal_autocheckpoint = 0");
    auto all = load_datasets(db);
    if (all.empty()) throw std::runtime_error("no datasets in " + o.db);
    std::mt19937_64 rng(o.seed);
    if (o.active > 0 && std::size_t(o.active) < all.size()) {
        std::shuffle(all.begin(), all.end(), rng);
        all.resize(std::size_t(o.active));
    }
    {
        std::unique_ptr<background_checkpointer> background;
        if (o.checkpoints == "server") background = std::make_unique<background_checkpointer>(o.db);
        statement find(db, "SELECT id, sync_count FROM datasets WHERE pool = ?1 AND identity = ?2 AND name = ?3");
        const bool clustered = o.schema == "clustered";
        statement record(db, clustered ? "SELECT 1, sync_count FROM records WHERE dataset = ?1 AND key = ?2"
                                       : "SELECT rowid, sync_count FROM records WHERE dataset = ?1 AND key = ?2");
        statement spend(db, "INSERT INTO used_sessions(expires_ms, session_id) VALUES(?1, ?2)");
        // Both shapes are given every parameter; each statement reads those of its schema.
        statement bump(db, clustered ? "UPDATE datasets SET sync_count = ?2, last_modified_ms = ?3"
                                       " WHERE pool = ?4 AND identity = ?5 AND name = ?6"
                                     : "UPDATE datasets SET sync_count = ?2, last_modified_ms = ?3 WHERE id = ?1");
        statement put(db, clustered ? "UPDATE records SET value = ?2, sync_count = ?3, last_modified_ms = ?4"
                                      " WHERE dataset = ?5 AND key = ?6"
                                    : "UPDATE records SET value = ?2, sync_count = ?3, last_modified_ms = ?4"
                                      " WHERE rowid = ?1");
        std::uniform_int_distribution<std::size_t> pick(0, all.size() - 1);
        std::uniform_int_distribution<int> key(0, 9);
        const std::string value(150, 'v');
        using clock = std::chrono::steady_clock;
        const auto start = clock::now();
        const auto measure_from = start + std::chrono::duration<double>(o.warmup);
        const auto end = measure_from + std::chrono::duration<double>(o.seconds);
        bool measuring = false;
        double cpu0 = 0, writer0 = 0, background0 = 0;
        int64_t jobs = 0, serial = 0;
        // Spent ids unique across runs on one copy: the run's start time in each.
        const std::string run_tag = std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
        clock::time_point t0;
        for (auto now = clock::now(); now < end; now = clock::now()) {
            if (!measuring && now >= measure_from) {
                measuring = true;
                jobs = 0;
                cpu0 = cpu_seconds();
                writer0 = thread_cpu_seconds();
                background0 = background ? background->cpu.load() : 0;
                t0 = now;
            }
            exec(db, "BEGIN IMMEDIATE");
            for (int i = 0; i < o.batch; ++i, ++jobs) {
                const auto& d = all[pick(rng)];
                find.text(1, d.pool).text(2, d.identity).text(3, d.name);
                if (!find.step()) throw std::runtime_error("dataset vanished");
                const int64_t row = find.column(0), count = find.column(1) + 1;
                find.reset();
                const std::string k = "k" + std::to_string(key(rng));
                record.num(1, row).text(2, k);
                const bool found = record.step();
                const int64_t rec = found ? record.column(0) : 0;
                record.reset();
                ++serial;
                spend.num(1, 4102444800000 + serial).text(2, "floor-" + run_tag + "-" + std::to_string(serial));
                spend.step();
                spend.reset();
                bump.num(1, row).num(2, count).num(3, serial).text(4, d.pool).text(5, d.identity).text(6, d.name);
                bump.step();
                bump.reset();
                if (rec != 0) {
                    put.num(1, rec).text(2, value).num(3, count).num(4, serial).num(5, row).text(6, k);
                    put.step();
                    put.reset();
                }
            }
            exec(db, "COMMIT");
            if (background && background->rewind_due.exchange(false))
                sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
        }
        const double wall = std::chrono::duration<double>(clock::now() - t0).count();
        const double cpu = cpu_seconds() - cpu0, writer = thread_cpu_seconds() - writer0;
        const double checkpoints = background ? background->cpu.load() - background0 : 0;
        const auto per_job = [&](double s) { return s * 1e6 / double(jobs); };
        std::printf("{\"datasets\": %zu, \"batch\": %d, \"sync\": \"%s\", \"cache_kib\": %d, \"mmap_bytes\": %lld,"
                    " \"checkpoints\": \"%s\", \"schema\": \"%s\", \"jobs_per_s\": %.0f,"
                    " \"us_per_job\": {\"wall\": %.1f, \"cpu\": %.1f,"
                    " \"writer\": %.1f, \"checkpointer\": %.1f}}\n",
                    all.size(), o.batch, o.sync.c_str(), o.cache_kib, static_cast<long long>(o.mmap_bytes),
                    o.checkpoints.c_str(), o.schema.c_str(), double(jobs) / wall, per_job(wall), per_job(cpu),
                    per_job(writer), per_job(checkpoints));
    }
    sqlite3_close(db);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    options o;
    CLI::App app{"cogsync_store_floor: SQLite's own cost of an UpdateRecords-shaped job on a populated store"};
    app.add_option("--db", o.db, "a copy of a populated cogsync.db (it is written to)")->required();
    app.add_option("--seconds", o.seconds, "measured seconds")->capture_default_str();
    app.add_option("--warmup", o.warmup, "unmeasured seconds first")->capture_default_str();
    app.add_option("--batch", o.batch, "jobs per transaction")->check(CLI::Range(1, 100000))->capture_default_str();
    app.add_option("--sync", o.sync, "full or normal")->check(CLI::IsMember({"full", "normal"}))->capture_default_str();
    app.add_option("--cache-kib", o.cache_kib, "page cache, KiB")->capture_default_str();
    app.add_option("--mmap-bytes", o.mmap_bytes, "PRAGMA mmap_size")->capture_default_str();
    app.add_option("--checkpoints", o.checkpoints,
                   "server: on a second thread, as the server does; sqlite: SQLite's automatic ones; none")
        ->check(CLI::IsMember({"server", "sqlite", "none"}))
        ->capture_default_str();
    app.add_option("--schema", o.schema, "rowid (the server's) or clustered (WITHOUT ROWID datasets and records)")
        ->check(CLI::IsMember({"rowid", "clustered"}))
        ->capture_default_str();
    app.add_option("--active", o.active, "draw from this many datasets chosen at random (0: all)")
        ->capture_default_str();
    app.add_option("--seed", o.seed, "random seed")->capture_default_str();
    CLI11_PARSE(app, argc, argv);
    try {
        return run(o);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "cogsync_store_floor: %s\n", e.what());
        return 1;
    }
}
