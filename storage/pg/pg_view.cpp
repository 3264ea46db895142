#include "storage/pg/pg_view.hpp"

#include <limits>
#include <unordered_map>

#include "storage/dataset_state_code.hpp"

namespace cogsync::storage {
namespace {

constexpr const char* select_dataset =
    "SELECT pool, identity, name, state, sync_count, deleted_at, creation_ms, last_modified_ms,"
    " last_modified_by, data_storage, num_records, tombstones, tombstone_bytes FROM datasets ";

std::vector<dataset> dataset_rows(const pg_rows& r) {
    std::vector<dataset> out;
    for (int i = 0; i < r.size(); ++i) {
        dataset d;
        d.id = {r.text(i, 0), r.text(i, 1), r.text(i, 2)};
        d.state = state_of(r.integer(i, 3));
        d.sync_count = r.integer(i, 4);
        d.deleted_at = r.integer(i, 5);
        d.creation_ms = r.integer(i, 6);
        d.last_modified_ms = r.integer(i, 7);
        d.last_modified_by = r.text(i, 8);
        d.data_storage = r.integer(i, 9);
        d.num_records = r.integer(i, 10);
        d.tombstones = r.integer(i, 11);
        d.tombstone_bytes = r.integer(i, 12);
        out.push_back(std::move(d));
    }
    return out;
}

constexpr const char* select_record =
    "SELECT key, value, sync_count, last_modified_ms, last_modified_by, device_last_modified_ms"
    " FROM records WHERE dataset = (SELECT id FROM datasets WHERE pool = $1 AND identity = $2"
    " AND name = $3) ";

std::vector<record> record_rows(const pg_rows& r) {
    std::vector<record> out;
    for (int i = 0; i < r.size(); ++i)
        out.push_back({r.text(i, 0), r.opt_text(i, 1), r.integer(i, 2), r.integer(i, 3), r.text(i, 4),
                       r.integer(i, 5)});
    return out;
}

using statement = pg_connection::statement;

statement dataset_statement(const dataset_id& id) {
    static const std::string sql = std::string(select_dataset) + "WHERE pool = $1 AND identity = $2 AND name = $3";
    return {sql, {to_param(id.pool), to_param(id.identity), to_param(id.name)}};
}

dataset dataset_or_absent(const pg_rows& rows, const dataset_id& id) {
    auto found = dataset_rows(rows);
    if (!found.empty()) return std::move(found.front());
    dataset absent;
    absent.id = id;
    return absent;
}

// The keys travel hex-encoded, comma-separated (a key may hold any byte), and IN answers each
// existing key once however often it was asked.
statement records_statement(const dataset_id& id, const std::vector<std::string>& keys) {
    static const std::string sql =
        std::string(select_record) + "AND key IN (SELECT decode(k, 'hex') FROM unnest(string_to_array($4, ',')) AS k)";
    static constexpr char digits[] = "0123456789abcdef";
    std::string hex;
    for (const auto& key : keys) {
        if (!hex.empty()) hex += ',';
        for (unsigned char ch : key) {
            hex += digits[ch >> 4];
            hex += digits[ch & 15];
        }
    }
    return {sql, {to_param(id.pool), to_param(id.identity), to_param(id.name), to_param(hex)}};
}

statement spend_statement(const session_key& session) {
    return {"INSERT INTO used_sessions(session_id, expires_ms) VALUES($1, $2) ON CONFLICT DO NOTHING",
            {to_param(session.id), to_param(session.expires_ms)}};
}

statement records_page_statement(const dataset_id& id, const record_page_query& p) {
    static const std::string range = "AND sync_count > $4 AND sync_count <= $5 ";
    static const std::string order = "ORDER BY sync_count, key LIMIT $6";
    static const std::string from_start = select_record + range + order;
    static const std::string from_cursor =
        std::string(select_record) + "AND (sync_count, key) > ($7::bigint, $8::bytea) " + range + order;
    std::vector<pg_param> params{to_param(id.pool),           to_param(id.identity),      to_param(id.name),
                                 to_param(p.after_sync_count), to_param(p.max_sync_count), to_param(pg_limit(p.limit))};
    if (!p.after || p.after->sync_count < p.after_sync_count) return {from_start, std::move(params)};
    params.push_back(to_param(p.after->sync_count));
    params.push_back(to_param(p.after->key));
    return {from_cursor, std::move(params)};
}

statement live_count_statement(const std::string& pool, const std::string& identity) {
    return {"SELECT count(*) FROM datasets WHERE pool = $1 AND identity = $2 AND state = 1",
            {to_param(pool), to_param(identity)}};
}

}  // namespace

std::optional<int64_t> pg_limit(std::size_t limit) {
    constexpr auto max = static_cast<std::size_t>(std::numeric_limits<int64_t>::max());
    if (limit > max) return std::nullopt;
    return static_cast<int64_t>(limit);
}

// Inside a write job the lock's answer is never read: it goes out with the next statement that
// waits for one, which PostgreSQL runs only once the lock is held.
void pg_view::lock(const std::string& key) {
    if (writing_) c_.defer_exec("SELECT pg_advisory_xact_lock(hashtextextended($1::text, 0))", key);
}

void pg_view::lock_identity(const std::string& pool, const std::string& identity) {
    lock("identity\x1f" + pool + "\x1f" + identity);
}

dataset pg_view::load_dataset(const dataset_id& id) {
    auto st = dataset_statement(id);
    return dataset_or_absent(c_.exec_params(st.sql, st.params), id);
}

std::optional<record> pg_view::find_record(const dataset_id& id, const std::string& key) {
    static const std::string sql = std::string(select_record) + "AND key = $4";
    auto found = record_rows(c_.exec(sql, id.pool, id.identity, id.name, key));
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
}

// One round trip for the whole batch (records_statement).
std::vector<record> pg_view::find_records(const dataset_id& id, const std::vector<std::string>& keys) {
    if (keys.empty()) return {};
    auto st = records_statement(id, keys);
    return record_rows(c_.exec_params(st.sql, st.params));
}

// One round trip: the lock (deferred), the configuration's statements, the dataset, the records,
// the spend and the count of live datasets (an index-only count of at most the dataset limit,
// needed when the write creates a dataset: cheaper here than a round trip then) go out together, each a statement of its own, so the reads after the lock see
// what its previous holder committed.
write_view::update_start pg_view::start_update(const dataset_id& id, const std::vector<std::string>& keys,
                                               const session_key& session, bool with_config) {
    lock_identity(id.pool, id.identity);
    std::vector<statement> batch;
    if (with_config) batch = pool_config_statements(id.pool);
    const auto at = batch.size();
    batch.push_back(dataset_statement(id));
    batch.push_back(records_statement(id, keys));
    batch.push_back(spend_statement(session));
    batch.push_back(live_count_statement(id.pool, id.identity));
    auto rows = c_.exec_all(batch);
    update_start out;
    if (with_config) out.config = pool_config_of(id.pool, rows[0], rows[1]);
    out.current = dataset_or_absent(rows[at], id);
    out.records = record_rows(rows[at + 1]);
    out.session_spent = rows[at + 2].affected() == 1;
    out.live_datasets = rows[at + 3].integer(0, 0);
    return out;
}

std::vector<record> pg_view::records_page(const dataset_id& id, const record_page_query& p) {
    auto st = records_page_statement(id, p);
    return record_rows(c_.exec_params(st.sql, st.params));
}

// One round trip (with the read's deferred BEGIN): the spend check, the dataset, the merged
// datasets (merged_dataset_name in SQL) and the guessed page.
read_view::listing_start pg_view::start_listing(const dataset_id& id, const std::optional<session_key>& session,
                                                const record_page_query& guess) {
    // By name: with one prefix, byte order of the names is that of the merged identities.
    static const std::string merged = std::string(select_dataset) +
        "WHERE pool = $1 AND identity = $2 AND name IN (SELECT $3::text || '.' || source_identity"
        " FROM identity_merges WHERE pool = $1 AND destination_identity = $2) ORDER BY name";
    std::vector<statement> batch;
    if (session) batch.push_back({"SELECT 1 FROM used_sessions WHERE session_id = $1", {to_param(session->id)}});
    const std::size_t at = batch.size();
    batch.push_back(dataset_statement(id));
    batch.push_back({merged, {to_param(id.pool), to_param(id.identity), to_param(id.name)}});
    batch.push_back(records_page_statement(id, guess));
    auto rows = c_.exec_all(batch);
    listing_start out;
    out.session_used = session && !rows[0].empty();
    out.current = dataset_or_absent(rows[at], id);
    out.merged = dataset_rows(rows[at + 1]);
    out.page = record_rows(rows[at + 2]);
    return out;
}

std::vector<dataset> pg_view::datasets_page(const std::string& pool, const std::string& identity,
                                            const std::string& after_name, std::size_t limit) {
    static const std::string sql = std::string(select_dataset) +
                                   "WHERE pool = $1 AND identity = $2 AND name > $3 AND state = 1"
                                   " ORDER BY name LIMIT $4";
    return dataset_rows(c_.exec(sql, pool, identity, after_name, pg_limit(limit)));
}

std::vector<dataset> pg_view::live_datasets_of_pool(const std::string& pool, const dataset_id* after,
                                                    std::size_t limit) {
    static const std::string from_start =
        std::string(select_dataset) + "WHERE pool = $1 AND state = 1 ORDER BY identity, name LIMIT $2";
    static const std::string from_cursor = std::string(select_dataset) +
                                           "WHERE pool = $1 AND (identity, name) > ($3::text, $4::text)"
                                           " AND state = 1 ORDER BY identity, name LIMIT $2";
    if (after) return dataset_rows(c_.exec(from_cursor, pool, pg_limit(limit), after->identity, after->name));
    return dataset_rows(c_.exec(from_start, pool, pg_limit(limit)));
}

std::vector<dataset> pg_view::all_datasets_page(const dataset_id* after, std::size_t limit) {
    static const std::string from_start = std::string(select_dataset) + "ORDER BY pool, identity, name LIMIT $1";
    static const std::string from_cursor = std::string(select_dataset) +
                                           "WHERE (pool, identity, name) > ($2::text, $3::text, $4::text)"
                                           " ORDER BY pool, identity, name LIMIT $1";
    if (after) return dataset_rows(c_.exec(from_cursor, pg_limit(limit), after->pool, after->identity, after->name));
    return dataset_rows(c_.exec(from_start, pg_limit(limit)));
}

std::vector<record> pg_view::records_by_key(const dataset_id& id, const std::string* after_key, std::size_t limit) {
    static const std::string from_start = std::string(select_record) + "ORDER BY key LIMIT $4";
    static const std::string from_cursor = std::string(select_record) + "AND key > $5 ORDER BY key LIMIT $4";
    if (after_key) return record_rows(c_.exec(from_cursor, id.pool, id.identity, id.name, pg_limit(limit), *after_key));
    return record_rows(c_.exec(from_start, id.pool, id.identity, id.name, pg_limit(limit)));
}

int64_t pg_view::live_dataset_count(const std::string& pool, const std::string& identity) {
    auto st = live_count_statement(pool, identity);
    return c_.exec_params(st.sql, st.params).integer(0, 0);
}

identity_usage pg_view::usage_of_identity(const std::string& pool, const std::string& identity) {
    auto r = c_.exec(
        "SELECT count(*) FILTER (WHERE state = 1), coalesce(sum(data_storage) FILTER (WHERE state = 1), 0)::bigint,"
        " coalesce(max(last_modified_ms), 0) FROM datasets WHERE pool = $1 AND identity = $2",
        pool, identity);
    return {pool, identity, r.integer(0, 0), r.integer(0, 1), r.integer(0, 2)};
}

std::optional<pool_usage> pg_view::usage_of_pool(const std::string& pool) {
    auto r = c_.exec(
        "SELECT EXISTS(SELECT 1 FROM datasets WHERE pool = $1),"
        " (SELECT sessions FROM pool_sessions WHERE pool = $1),"
        " (SELECT coalesce(sum(data_storage), 0)::bigint FROM datasets WHERE pool = $1 AND state = 1),"
        " (SELECT coalesce(max(last_modified_ms), 0) FROM datasets WHERE pool = $1)",
        pool);
    if (r.integer(0, 0) == 0 && r.is_null(0, 1)) return std::nullopt;
    return pool_usage{pool, r.integer(0, 1), r.integer(0, 2), r.integer(0, 3)};
}

std::vector<pool_usage> pg_view::pools_page(const std::string& after_pool, std::size_t limit) {
    auto r = c_.exec(
        "SELECT pool FROM (SELECT DISTINCT pool FROM datasets WHERE pool > $1"
        " UNION SELECT pool FROM pool_sessions WHERE pool > $1) AS known ORDER BY pool LIMIT $2",
        after_pool, pg_limit(limit));
    std::vector<pool_usage> out;
    for (int i = 0; i < r.size(); ++i)
        if (auto usage = usage_of_pool(r.text(i, 0))) out.push_back(std::move(*usage));
    return out;
}

bool pg_view::session_used(const session_key& session) {
    return !c_.exec("SELECT 1 FROM used_sessions WHERE session_id = $1", session.id).empty();
}

// The writes below are deferred (pg_connection::defer_exec): they go out with the job's COMMIT.
void pg_view::save_dataset(const dataset& d) {
    // An upsert: the row keeps its id, which its records refer to.
    c_.defer_exec(
        "INSERT INTO datasets(pool, identity, name, state, sync_count, deleted_at, creation_ms,"
        " last_modified_ms, last_modified_by, data_storage, num_records, tombstones, tombstone_bytes)"
        " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        " ON CONFLICT(pool, identity, name) DO UPDATE SET state = excluded.state,"
        " sync_count = excluded.sync_count, deleted_at = excluded.deleted_at,"
        " creation_ms = excluded.creation_ms, last_modified_ms = excluded.last_modified_ms,"
        " last_modified_by = excluded.last_modified_by, data_storage = excluded.data_storage,"
        " num_records = excluded.num_records, tombstones = excluded.tombstones,"
        " tombstone_bytes = excluded.tombstone_bytes",
        d.id.pool, d.id.identity, d.id.name, state_code(d.state), d.sync_count, d.deleted_at, d.creation_ms,
        d.last_modified_ms, d.last_modified_by, d.data_storage, d.num_records, d.tombstones, d.tombstone_bytes);
}

void pg_view::put_record(const dataset_id& id, const record& r) { put_records(id, {r}); }

namespace {

// One INSERT of `rows` records; the statement text depends only on `rows`, so each size is
// prepared once per connection.
std::string insert_records_sql(std::size_t rows) {
    std::string sql =
        "INSERT INTO records(dataset, key, value, sync_count, last_modified_ms, last_modified_by,"
        " device_last_modified_ms) SELECT (SELECT id FROM datasets WHERE pool = $1 AND identity = $2 AND name = $3),"
        " v.k, v.v, v.c, v.m, v.b, v.dm FROM (VALUES ";
    for (std::size_t i = 0; i < rows; ++i) {
        const auto n = 4 + i * 6;
        auto p = [&](std::size_t k) { return "$" + std::to_string(n + k); };
        sql += (i ? ", (" : "(") + p(0) + "::bytea, " + p(1) + "::bytea, " + p(2) + "::bigint, " + p(3) +
               "::bigint, " + p(4) + "::text, " + p(5) + "::bigint)";
    }
    return sql +
           ") AS v(k, v, c, m, b, dm) ON CONFLICT(dataset, key) DO UPDATE SET value = excluded.value,"
           " sync_count = excluded.sync_count, last_modified_ms = excluded.last_modified_ms,"
           " last_modified_by = excluded.last_modified_by, device_last_modified_ms = excluded.device_last_modified_ms";
}

}  // namespace

// In chunks of power-of-two sizes up to 64 (a 100-record write is 64 + 32 + 4): a few round
// trips and at most seven statement texts per connection, whatever the sizes written.
void pg_view::put_records(const dataset_id& id, const std::vector<record>& given) {
    // A key twice in one call: the later record wins, as a record-by-record write would leave it
    // (one INSERT ... ON CONFLICT cannot update a row twice).
    std::vector<record> rs;
    std::unordered_map<std::string, std::size_t> at;
    for (const auto& r : given) {
        auto [it, fresh] = at.emplace(r.key, rs.size());
        if (fresh) rs.push_back(r);
        else rs[it->second] = r;
    }
    std::size_t done = 0;
    while (done < rs.size()) {
        std::size_t chunk = 64;
        while (chunk > rs.size() - done) chunk /= 2;
        std::vector<pg_param> params{to_param(id.pool), to_param(id.identity), to_param(id.name)};
        for (std::size_t i = done; i < done + chunk; ++i) {
            const auto& r = rs[i];
            for (auto p : {to_param(r.key), to_param(r.value), to_param(r.sync_count), to_param(r.last_modified_ms),
                           to_param(r.last_modified_by), to_param(r.device_last_modified_ms)})
                params.push_back(std::move(p));
        }
        static const std::vector<std::string> texts = [] {
            std::vector<std::string> t;
            for (std::size_t n = 1; n <= 64; n *= 2) t.push_back(insert_records_sql(n));
            return t;
        }();
        // Without a dataset row the id is NULL, which records.dataset refuses: the COMMIT fails.
        c_.defer_params(texts[static_cast<std::size_t>(__builtin_ctzll(chunk))], std::move(params));
        done += chunk;
    }
}

void pg_view::drop_records(const dataset_id& id) {
    c_.exec(
        "DELETE FROM records WHERE dataset = (SELECT id FROM datasets WHERE pool = $1"
        " AND identity = $2 AND name = $3)",
        id.pool, id.identity, id.name);
}

bool pg_view::spend_session(const session_key& session) {
    auto st = spend_statement(session);
    return c_.exec_params(st.sql, st.params).affected() == 1;
}

void pg_view::add_sessions(const std::unordered_map<std::string, int64_t>& counts) {
    for (const auto& [pool, n] : counts)
        c_.exec("INSERT INTO pool_sessions(pool, sessions) SELECT $1::text, $2::bigint"
                " WHERE EXISTS(SELECT 1 FROM datasets WHERE pool = $1)"
                " ON CONFLICT(pool) DO UPDATE SET sessions = pool_sessions.sessions + excluded.sessions",
                pool, n);
}

void pg_view::purge_sessions(int64_t now_ms) { c_.exec("DELETE FROM used_sessions WHERE expires_ms < $1", now_ms); }

}  // namespace cogsync::storage
