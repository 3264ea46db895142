#include "storage/sqlite/connections.hpp"

#include <algorithm>

#include <sqlite3.h>

namespace cogsync::storage {
namespace {

constexpr int writer_busy_ms = 5000;
constexpr int reader_busy_ms = 5000;
constexpr int checkpointer_busy_ms = 0;  // never wait: a checkpoint must not stall commits

void set_busy_timeout(connection& c, int ms) { sqlite3_busy_timeout(c.handle(), ms); }

const char* synchronous_pragma(durability d) {
    return d == durability::full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL";
}

// A larger page cache than SQLite's 2 MiB default keeps the upper levels of the indexes of a big
// store (a million identities) in memory. Readers do not map the file (mmap_size stays 0): SQLite
// unmaps the whole mapping whenever a read transaction finds the database changed, which under
// writes is every one, and the munmap's TLB shootdowns interrupt every core, the writer's too
// (under a sync load, a third of a ListRecords' store time went to munmap and the faults that
// map the pages again).
constexpr const char* writer_cache_pragma = "PRAGMA cache_size = -32768";  // KiB
constexpr const char* reader_cache_pragma = "PRAGMA cache_size = -8192";

void enable_wal(connection& c) {
    auto q = c.prepare("PRAGMA journal_mode = WAL");
    if (!q->step() || q->column_text(0) != "wal")
        throw storage_error("could not switch the database to WAL mode");
}

}  // namespace

std::unique_ptr<connection> open_writer(const store_options& opts) {
    auto c = std::make_unique<connection>(opts.path, open_mode::read_write);
    set_busy_timeout(*c, writer_busy_ms);
    enable_wal(*c);
    c->exec(synchronous_pragma(opts.sync));
    c->exec("PRAGMA wal_autocheckpoint = 0");
    c->exec(writer_cache_pragma);
    // A WAL file rewound after a checkpoint is cut back to this size rather than left at its peak.
    c->exec("PRAGMA journal_size_limit = " + std::to_string(opts.wal_truncate_bytes));
    return c;
}

std::unique_ptr<connection> open_reader(const std::string& path) {
    auto c = std::make_unique<connection>(path, open_mode::read_only);
    set_busy_timeout(*c, reader_busy_ms);
    c->exec(reader_cache_pragma);
    return c;
}

std::unique_ptr<connection> open_checkpointer(const store_options& opts) {
    auto c = std::make_unique<connection>(opts.path, open_mode::read_write);
    set_busy_timeout(*c, checkpointer_busy_ms);
    // Governs the syncs a checkpoint does; with NORMAL they are what makes commits durable.
    c->exec(synchronous_pragma(opts.sync));
    return c;
}

int64_t page_size(connection& c) {
    auto q = c.prepare("PRAGMA page_size");
    return q->step() ? std::max<int64_t>(512, q->column_int(0)) : 4096;
}

}  // namespace cogsync::storage
