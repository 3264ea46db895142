#pragma once
// Thin RAII layer over libpq: one connection, statements prepared once per connection, results
// read in binary format. Strings travel as binary parameters, so keys and values keep every byte
// (NUL included) and reach bytea columns unchanged; integers travel as text and take the type
// the statement gives them. Every failure throws pg_error with the server's SQLSTATE.
// A connection is used by one thread at a time.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "storage/record_store.hpp"

struct pg_conn;
struct pg_result;
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace cogsync::storage {

class pg_error : public storage_error {
public:
    pg_error(const std::string& what, std::string sqlstate) : storage_error(what), sqlstate_(std::move(sqlstate)) {}
    // Five characters ("40001"), or "" when the failure was not the server's (connection lost).
    const std::string& sqlstate() const { return sqlstate_; }

private:
    std::string sqlstate_;
};

// One statement parameter: NULL, text-format (integers) or binary-format bytes (strings).
struct pg_param {
    std::optional<std::string> bytes;
    bool binary = false;
};

// A failure of the connection rather than of a statement: no SQLSTATE (libpq's own), a
// connection exception (08...), or the server shutting down or not up yet (57P01-57P03).
bool connection_lost(const pg_error& e);

pg_param to_param(int64_t v);
inline pg_param to_param(int v) { return to_param(int64_t{v}); }
inline pg_param to_param(bool v) { return to_param(int64_t{v ? 1 : 0}); }
pg_param to_param(const std::string& v);
inline pg_param to_param(const char* v) { return to_param(std::string(v)); }
pg_param to_param(const std::optional<std::string>& v);
pg_param to_param(const std::optional<int64_t>& v);  // nullopt = NULL (LIMIT NULL: no limit)

class pg_rows {
public:
    explicit pg_rows(PGresult* r) : r_(r) {}
    ~pg_rows();
    pg_rows(pg_rows&& o) noexcept : r_(o.r_) { o.r_ = nullptr; }
    pg_rows(const pg_rows&) = delete;
    pg_rows& operator=(const pg_rows&) = delete;

    int size() const;
    bool empty() const { return size() == 0; }
    int64_t integer(int row, int col) const;  // bigint, integer, smallint or boolean
    std::string text(int row, int col) const;  // text or bytea, byte for byte
    std::optional<std::string> opt_text(int row, int col) const;
    bool is_null(int row, int col) const;
    int64_t affected() const;  // rows an INSERT/UPDATE/DELETE touched

private:
    PGresult* r_;
};

class pg_connection {
public:
    // conninfo: a postgres:// URL or key=value string, as libpq takes them.
    explicit pg_connection(const std::string& conninfo);
    ~pg_connection();
    pg_connection(const pg_connection&) = delete;
    pg_connection& operator=(const pg_connection&) = delete;

    // Runs SQL without parameters (may hold several statements: DDL, BEGIN, COMMIT).
    void run(const std::string& sql);
    // Sends one statement without parameters or rows (BEGIN) ahead of the next run or exec,
    // in the same round trip (libpq's pipeline mode); its failure is that call's failure.
    void defer(std::string sql) { deferred_.push_back({std::move(sql), {}, false}); }
    // The same for a statement whose rows and row count nobody reads (a write inside a
    // transaction): prepared as exec's are, sent with the next call that waits for an answer
    // (at the latest the COMMIT), which fails with it if it fails.
    template <class... Args>
    void defer_exec(const std::string& sql, const Args&... args) {
        defer_params(sql, {to_param(args)...});
    }
    void defer_params(const std::string& sql, std::vector<pg_param> params) {
        deferred_.push_back({sql, std::move(params), true});
    }
    bool has_deferred() const { return !deferred_.empty(); }
    std::size_t deferred_count() const { return deferred_.size(); }
    // Takes back the statement deferred last, not sent yet (a BEGIN whose transaction ran nothing).
    void undefer_last() { deferred_.pop_back(); }
    // Sends what was deferred now, in one round trip.
    void send_deferred();
    // Drops what was deferred and never sent; true if there was any.
    bool drop_deferred() {
        bool any = !deferred_.empty();
        deferred_.clear();
        return any;
    }
    // Round trips on this connection that got their answer: a failure with this unchanged since
    // a BEGIN was deferred means no statement after it reached the data.
    uint64_t answered() const { return answered_; }
    // Runs one statement, prepared on first use on this connection.
    pg_rows exec_params(const std::string& sql, const std::vector<pg_param>& params);
    template <class... Args>
    pg_rows exec(const std::string& sql, const Args&... args) {
        return exec_params(sql, {to_param(args)...});
    }
    // Runs the statements in order, in one round trip with whatever was deferred: each its own
    // statement (its own snapshot under READ COMMITTED), each one's rows returned; the first
    // failure is thrown once all of them were answered.
    struct statement {
        std::string sql;
        std::vector<pg_param> params;
    };
    std::vector<pg_rows> exec_all(const std::vector<statement>& statements);
    // After `LISTEN channel` ran: waits up to timeout_ms for a notification; true if one came.
    // Throws pg_error when the connection is lost.
    bool wait_notification(int timeout_ms);
    // False once the connection to the server is lost: the pool drops it. On an idle
    // connection it first reads what the server may have sent meanwhile (a shutdown's FATAL, the
    // socket's end), so a connection a restart dropped is not taken for a live one.
    bool usable() const;
    // Requests this process sent the database server and waited for (statements, prepares,
    // BEGIN and COMMIT), over every connection: the engine's metrics report it.
    static uint64_t round_trips();
    // True while a transaction (or an aborted one) is open.
    bool in_transaction() const;

private:
    // Rethrows e; a failure of the connection itself (connection_lost) closes it first, so that
    // usable() says so at once, whatever libpq had noticed.
    [[noreturn]] void rethrow(const pg_error& e);
    struct queued {
        std::string sql;
        std::vector<pg_param> params;
        bool prepared;  // false: sent unnamed, without parameters (BEGIN, COMMIT)
    };
    // Statements deferred, then `statements` (prepared where not yet), in one round trip: the
    // results of `statements`; the first failure thrown once every result was read.
    std::vector<PGresult*> pipelined(const std::vector<queued>& statements);
    // One statement, with nothing deferred: the round trip of its own (and of its prepare).
    PGresult* exec_alone(const std::string& sql, const std::vector<pg_param>& params);

    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, std::string> prepared_;  // SQL -> statement name
    std::vector<queued> deferred_;
    uint64_t names_used_ = 0;
    uint64_t answered_ = 0;
};

}  // namespace cogsync::storage
