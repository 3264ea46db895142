#pragma once
// Thin RAII layer over the SQLite C API: a connection, its prepared statements and a per-connection
// statement cache. Every SQLite failure throws storage_error carrying SQLite's own message.
// A connection is used by one thread at a time (opened with SQLITE_OPEN_NOMUTEX).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/record_store.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace cogsync::storage {

enum class open_mode { read_write, read_only };

class statement {
public:
    statement(sqlite3* db, std::string_view sql);
    ~statement();
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;

    // Text is bound by pointer and explicit byte length (no copy, embedded NULs kept): the bytes
    // must stay alive until the statement is reset. Index is 1-based, as in SQL `?1`.
    void bind(int index, int64_t value);
    void bind(int index, std::string_view text);
    void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
    void bind(int index, const std::optional<std::string>& text);  // nullopt binds NULL

    template <class... Args>
    void bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
    }

    // True while a row is available; false once the statement is done.
    bool step();
    // Ready for the next use; drops the bindings so no dangling pointer stays attached.
    void reset();

    int64_t column_int(int index) const;
    std::string column_text(int index) const;
    std::optional<std::string> column_opt_text(int index) const;  // NULL -> nullopt
    bool column_is_null(int index) const;

private:
    friend class query;
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
    bool in_use_ = false;
};

// A cached statement checked out for one use; resetting on scope exit ends any implicit read it
// holds open, even when the caller unwinds.
class query {
public:
    explicit query(statement& s);
    ~query();
    query(const query&) = delete;
    query& operator=(const query&) = delete;
    statement* operator->() { return &s_; }
    statement& operator*() { return s_; }

private:
    statement& s_;
};

class connection {
public:
    connection(const std::string& path, open_mode mode);
    ~connection();
    connection(const connection&) = delete;
    connection& operator=(const connection&) = delete;

    // Runs SQL that returns no rows of interest (pragmas, DDL). Not cached.
    void exec(const std::string& sql);
    // A cached prepared statement; the same SQL text must not be checked out twice at once.
    query prepare(std::string_view sql);
    // Steps a cached statement that takes no parameters (BEGIN, COMMIT, SAVEPOINT ...).
    void run(std::string_view sql);

    int64_t changes() const;
    int64_t total_changes() const;  // rows changed on this connection since it opened
    int64_t last_insert_rowid() const;
    bool in_transaction() const;
    sqlite3* handle() const { return db_; }

private:
    struct sv_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
    };
    sqlite3* db_ = nullptr;
    std::unordered_map<std::string, std::unique_ptr<statement>, sv_hash, std::equal_to<>> cache_;
};

}  // namespace cogsync::storage
