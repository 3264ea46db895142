#include "storage/pg/pg_connection.hpp"

#include <atomic>

#include <endian.h>
#include <libpq-fe.h>
#include <poll.h>

#include <cstring>

namespace cogsync::storage {
namespace {

// Type OIDs of the integer-like columns read back (pg_type.dat).
constexpr Oid bool_oid = 16, int8_oid = 20, int2_oid = 21, int4_oid = 23;

[[noreturn]] void fail(PGconn* c, const PGresult* r, const std::string& doing) {
    const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    std::string message = r ? PQresultErrorMessage(r) : "";
    if (message.empty()) message = PQerrorMessage(c);
    while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
    throw pg_error("postgres: " + doing + ": " + message, state ? state : "");
}

PGresult* checked(PGconn* c, PGresult* r, const std::string& doing) {
    const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
    try {
        fail(c, r, doing);
    } catch (...) {
        PQclear(r);
        throw;
    }
}

// The parallel arrays libpq takes a statement's parameters in.
struct param_arrays {
    explicit param_arrays(const std::vector<pg_param>& params)
        : values(params.size()), lengths(params.size()), formats(params.size()) {
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto& p = params[i];
            values[i] = p.bytes ? p.bytes->data() : nullptr;
            lengths[i] = p.bytes ? static_cast<int>(p.bytes->size()) : 0;
            formats[i] = p.binary ? 1 : 0;
        }
    }
    int count() const { return static_cast<int>(values.size()); }
    std::vector<const char*> values;
    std::vector<int> lengths, formats;
};

}  // namespace

pg_param to_param(int64_t v) { return {std::to_string(v), false}; }
pg_param to_param(const std::string& v) { return {v, true}; }
pg_param to_param(const std::optional<std::string>& v) { return {v, true}; }
pg_param to_param(const std::optional<int64_t>& v) {
    if (!v) return {};
    return to_param(*v);
}

pg_rows::~pg_rows() { PQclear(r_); }

int pg_rows::size() const { return PQntuples(r_); }

bool pg_rows::is_null(int row, int col) const { return PQgetisnull(r_, row, col) != 0; }

int64_t pg_rows::integer(int row, int col) const {
    if (is_null(row, col)) return 0;
    const char* v = PQgetvalue(r_, row, col);
    switch (PQftype(r_, col)) {
        case bool_oid: return v[0] != 0;
        case int2_oid: { uint16_t x; std::memcpy(&x, v, 2); return static_cast<int16_t>(be16toh(x)); }
        case int4_oid: { uint32_t x; std::memcpy(&x, v, 4); return static_cast<int32_t>(be32toh(x)); }
        case int8_oid: { uint64_t x; std::memcpy(&x, v, 8); return static_cast<int64_t>(be64toh(x)); }
    }
    throw storage_error("postgres: column " + std::to_string(col) + " is not an integer");
}

std::string pg_rows::text(int row, int col) const {
    return std::string(PQgetvalue(r_, row, col), static_cast<std::size_t>(PQgetlength(r_, row, col)));
}

std::optional<std::string> pg_rows::opt_text(int row, int col) const {
    if (is_null(row, col)) return std::nullopt;
    return text(row, col);
}

int64_t pg_rows::affected() const {
    const char* n = PQcmdTuples(r_);
    return *n ? std::stoll(n) : 0;
}

// A connect_timeout unless the URL gives one: an unreachable server must fail a probe (/ready) or
// a start in seconds, not after the operating system's TCP timeout.
static PGconn* connect(const std::string& conninfo) {
    const char* keys[] = {"connect_timeout", "dbname", nullptr};
    const char* values[] = {"5", conninfo.c_str(), nullptr};
    return PQconnectdbParams(keys, values, 1);
}

pg_connection::pg_connection(const std::string& conninfo) : conn_(connect(conninfo)) {
    if (!conn_) throw pg_error("postgres: out of memory", "");
    if (PQstatus(conn_) != CONNECTION_OK) {
        std::string message = PQerrorMessage(conn_);
        while (!message.empty() && message.back() == '\n') message.pop_back();
        PQfinish(conn_);
        throw pg_error("postgres: cannot connect: " + message, "");
    }
    PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

pg_connection::~pg_connection() { PQfinish(conn_); }

bool connection_lost(const pg_error& e) {
    const auto& s = e.sqlstate();
    return s.empty() || s.rfind("08", 0) == 0 || s == "57P01" || s == "57P02" || s == "57P03";
}

void pg_connection::rethrow(const pg_error& e) {
    if (connection_lost(e) && conn_) {
        PQfinish(conn_);
        conn_ = nullptr;
    }
    throw e;
}

namespace {
std::atomic<uint64_t> sent{0};
}

uint64_t pg_connection::round_trips() { return sent.load(std::memory_order_relaxed); }

void pg_connection::run(const std::string& sql) try {
    if (!deferred_.empty()) {
        for (PGresult* r : pipelined({{sql, {}, false}})) PQclear(r);
        return;
    }
    sent.fetch_add(1, std::memory_order_relaxed);
    PQclear(checked(conn_, PQexec(conn_, sql.c_str()), sql));
    ++answered_;
} catch (const pg_error& e) {
    rethrow(e);
}

void pg_connection::send_deferred() try {
    if (!deferred_.empty()) pipelined({});
} catch (const pg_error& e) {
    rethrow(e);
}

std::vector<PGresult*> pg_connection::pipelined(const std::vector<queued>& statements) {
    auto deferred = std::move(deferred_);
    deferred_.clear();
    sent.fetch_add(1, std::memory_order_relaxed);
    auto broken = [&](const std::string& doing) {
        PQexitPipelineMode(conn_);
        fail(conn_, nullptr, doing);
    };
    if (PQenterPipelineMode(conn_) != 1) fail(conn_, nullptr, "pipeline mode");
    // What each result answers, and whether it is one of `statements` (returned) or not (a
    // deferred statement or a prepare: only its failure counts).
    struct expected {
        const std::string* sql;
        bool returned;
    };
    std::vector<expected> doing;
    std::unordered_map<std::string, std::string> preparing;  // prepared in this pipeline: SQL -> name
    auto send = [&](const queued& q, bool returned) {
        if (!q.prepared) {
            if (PQsendQueryParams(conn_, q.sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1) != 1) broken(q.sql);
            doing.push_back({&q.sql, returned});
            return;
        }
        const std::string* name = nullptr;
        if (auto found = prepared_.find(q.sql); found != prepared_.end()) name = &found->second;
        else if (auto pending = preparing.find(q.sql); pending != preparing.end()) name = &pending->second;
        else {
            // A fresh name each time: a prepare that went out with a statement that then failed
            // may exist on the server without being recorded here.
            auto [it, _] = preparing.emplace(q.sql, "s" + std::to_string(names_used_++));
            name = &it->second;
            if (PQsendPrepare(conn_, name->c_str(), q.sql.c_str(), 0, nullptr) != 1) broken(q.sql);
            doing.push_back({&q.sql, false});
        }
        const param_arrays a(q.params);
        if (PQsendQueryPrepared(conn_, name->c_str(), a.count(), a.values.data(), a.lengths.data(), a.formats.data(),
                                1) != 1)
            broken(q.sql);
        doing.push_back({&q.sql, returned});
    };
    for (const auto& q : deferred) send(q, false);
    for (const auto& q : statements) send(q, true);
    if (PQpipelineSync(conn_) != 1) broken(doing.empty() ? std::string("sync") : *doing.back().sql);
    // Every command's result (then the NULL that ends it), then the sync's: all are read even
    // after a failure, so the connection is idle again before anything is thrown.
    std::vector<PGresult*> out;
    PGresult* first_failure = nullptr;
    std::string failed_doing;
    bool lost = false;
    for (const auto& what : doing) {
        PGresult* r = PQgetResult(conn_);
        if (!r) {  // the connection is gone
            lost = true;
            break;
        }
        while (PGresult* more = PQgetResult(conn_)) PQclear(more);
        const auto status = PQresultStatus(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            if (!first_failure) first_failure = r, failed_doing = *what.sql;
            else PQclear(r);
            continue;
        }
        if (what.returned && !first_failure) out.push_back(r);
        else PQclear(r);
    }
    if (PGresult* sync = PQgetResult(conn_)) PQclear(sync);
    PQexitPipelineMode(conn_);
    if (first_failure || lost) {
        for (PGresult* r : out) PQclear(r);
        try {
            fail(conn_, first_failure, first_failure ? failed_doing : (doing.empty() ? "" : *doing.back().sql));
        } catch (...) {
            PQclear(first_failure);
            throw;
        }
    }
    for (auto& [sql, name] : preparing) prepared_.emplace(sql, std::move(name));
    ++answered_;
    return out;
}

PGresult* pg_connection::exec_alone(const std::string& sql, const std::vector<pg_param>& params) {
    auto found = prepared_.find(sql);
    if (found == prepared_.end()) {
        std::string name("s");
        name += std::to_string(names_used_++);
        sent.fetch_add(1, std::memory_order_relaxed);
        PQclear(checked(conn_, PQprepare(conn_, name.c_str(), sql.c_str(), 0, nullptr), sql));
        found = prepared_.emplace(sql, std::move(name)).first;
    }
    const param_arrays a(params);
    sent.fetch_add(1, std::memory_order_relaxed);
    PGresult* r = checked(conn_,
                          PQexecPrepared(conn_, found->second.c_str(), a.count(), a.values.data(), a.lengths.data(),
                                         a.formats.data(), 1),
                          sql);
    ++answered_;
    return r;
}

pg_rows pg_connection::exec_params(const std::string& sql, const std::vector<pg_param>& params) try {
    // The prepare of a new statement rides along with what was deferred.
    if (!deferred_.empty()) return pg_rows(pipelined({{sql, params, true}}).at(0));
    return pg_rows(exec_alone(sql, params));
} catch (const pg_error& e) {
    rethrow(e);
}

std::vector<pg_rows> pg_connection::exec_all(const std::vector<statement>& statements) try {
    std::vector<queued> qs;
    qs.reserve(statements.size());
    for (const auto& s : statements) qs.push_back({s.sql, s.params, true});
    std::vector<pg_rows> out;
    for (PGresult* r : pipelined(qs)) out.emplace_back(r);
    return out;
} catch (const pg_error& e) {
    rethrow(e);
}

bool pg_connection::wait_notification(int timeout_ms) {
    auto take = [&] {
        bool any = false;
        while (PGnotify* n = PQnotifies(conn_)) {
            PQfreemem(n);
            any = true;
        }
        return any;
    };
    if (take()) return true;
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (p.fd < 0) fail(conn_, nullptr, "LISTEN");
    if (poll(&p, 1, timeout_ms) > 0 && PQconsumeInput(conn_) != 1) fail(conn_, nullptr, "LISTEN");
    return take();
}

bool pg_connection::usable() const {
    if (!conn_ || PQstatus(conn_) != CONNECTION_OK) return false;
    if (PQpipelineStatus(conn_) == PQ_PIPELINE_OFF && !PQisBusy(conn_)) PQconsumeInput(conn_);
    return PQstatus(conn_) == CONNECTION_OK;
}

bool pg_connection::in_transaction() const { return PQtransactionStatus(conn_) != PQTRANS_IDLE; }

}  // namespace cogsync::storage
