#include "storage/sqlite/sqlite.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace cogsync::storage {
namespace {

[[noreturn]] void fail(sqlite3* db, std::string_view what) {
    std::string msg(what);
    msg += ": ";
    msg += db ? sqlite3_errmsg(db) : "out of memory";
    throw storage_error(msg);
}

// Shown in error messages; a failed statement is easier to find with its SQL attached.
std::string describe(std::string_view verb, std::string_view sql) {
    constexpr std::size_t shown = 120;
    std::string out(verb);
    out += " `";
    out += sql.substr(0, shown);
    if (sql.size() > shown) out += "...";
    out += '`';
    return out;
}

// SQLite's allocation statistics take a process-wide mutex on every malloc and free, shared by the
// writer and every reader; nothing here reads them. Must precede the first sqlite3_open_v2.
void configure_library_once() {
    static const bool configured = [] {
        sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
        return true;
    }();
    (void)configured;
}

}  // namespace

statement::statement(sqlite3* db, std::string_view sql) : db_(db) {
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &stmt_, nullptr) != SQLITE_OK)
        fail(db, describe("prepare", sql));
}

statement::~statement() { sqlite3_finalize(stmt_); }

void statement::bind(int index, int64_t value) {
    if (sqlite3_bind_int64(stmt_, index, value) != SQLITE_OK) fail(db_, "bind");
}

void statement::bind(int index, std::string_view text) {
    // A null data pointer would bind SQL NULL; an empty string must stay an empty string.
    const char* bytes = text.data() ? text.data() : "";
    if (sqlite3_bind_text64(stmt_, index, bytes, text.size(), SQLITE_STATIC, SQLITE_UTF8) != SQLITE_OK)
        fail(db_, "bind");
}

void statement::bind(int index, const std::optional<std::string>& text) {
    if (text) return bind(index, std::string_view(*text));
    if (sqlite3_bind_null(stmt_, index) != SQLITE_OK) fail(db_, "bind");
}

bool statement::step() {
    switch (sqlite3_step(stmt_)) {
        case SQLITE_ROW: return true;
        case SQLITE_DONE: return false;
        default: fail(db_, describe("step", sqlite3_sql(stmt_)));
    }
}

void statement::reset() {
    sqlite3_reset(stmt_);  // repeats the last step's error, already reported by step()
    sqlite3_clear_bindings(stmt_);
}

int64_t statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string statement::column_text(int index) const {
    // Text first, then its byte length: the documented order that avoids a conversion.
    const auto* bytes = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    const int size = sqlite3_column_bytes(stmt_, index);
    return bytes ? std::string(bytes, static_cast<std::size_t>(size)) : std::string();
}

std::optional<std::string> statement::column_opt_text(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_text(index);
}

bool statement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

query::query(statement& s) : s_(s) {
    if (s_.in_use_) throw std::logic_error("statement checked out twice: " + std::string(sqlite3_sql(s_.stmt_)));
    s_.in_use_ = true;
}

query::~query() {
    s_.reset();
    s_.in_use_ = false;
}

connection::connection(const std::string& path, open_mode mode) {
    configure_library_once();
    const int flags = SQLITE_OPEN_NOMUTEX |
                      (mode == open_mode::read_only ? SQLITE_OPEN_READONLY
                                                    : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
        std::string msg = "open " + path + ": " + (db_ ? sqlite3_errmsg(db_) : "out of memory");
        sqlite3_close(db_);
        throw storage_error(msg);
    }
    sqlite3_extended_result_codes(db_, 1);
}

connection::~connection() {
    cache_.clear();  // statements must be finalized before the connection can close
    sqlite3_close(db_);
}

void connection::exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string msg = describe("exec", sql) + ": " + (err ? err : sqlite3_errmsg(db_));
        sqlite3_free(err);
        throw storage_error(msg);
    }
}

query connection::prepare(std::string_view sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end())
        it = cache_.emplace(std::string(sql), std::make_unique<statement>(db_, sql)).first;
    return query(*it->second);
}

void connection::run(std::string_view sql) {
    auto q = prepare(sql);
    while (q->step()) {
    }
}

int64_t connection::changes() const { return sqlite3_changes64(db_); }

int64_t connection::total_changes() const { return sqlite3_total_changes64(db_); }

int64_t connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

bool connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

}  // namespace cogsync::storage
