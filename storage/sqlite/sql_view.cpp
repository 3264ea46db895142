#include "storage/sqlite/sql_view.hpp"

#include <limits>
#include <string_view>
#include <unordered_set>

#include "storage/dataset_state_code.hpp"
#include "storage/sqlite/sql_rows.hpp"

namespace cogsync::storage {

namespace {

const std::string select_dataset = std::string("SELECT ") + dataset_columns + " FROM datasets ";
const std::string select_record = std::string("SELECT ") + record_columns +
                                  " FROM records WHERE dataset = (SELECT id FROM datasets WHERE pool = ?1"
                                  " AND identity = ?2 AND name = ?3) ";

}  // namespace

dataset dataset_row(statement& s) {
    dataset d;
    d.id = {s.column_text(0), s.column_text(1), s.column_text(2)};
    d.state = state_of(s.column_int(3));
    d.sync_count = s.column_int(4);
    d.deleted_at = s.column_int(5);
    d.creation_ms = s.column_int(6);
    d.last_modified_ms = s.column_int(7);
    d.last_modified_by = s.column_text(8);
    d.data_storage = s.column_int(9);
    d.num_records = s.column_int(10);
    d.tombstones = s.column_int(11);
    d.tombstone_bytes = s.column_int(12);
    return d;
}

record record_row(statement& s) {
    record r;
    r.key = s.column_text(0);
    r.value = s.column_opt_text(1);
    r.sync_count = s.column_int(2);
    r.last_modified_ms = s.column_int(3);
    r.last_modified_by = s.column_text(4);
    r.device_last_modified_ms = s.column_int(5);
    return r;
}

namespace {

std::vector<record> all_records(query& q) {
    std::vector<record> out;
    while (q->step()) out.push_back(record_row(*q));
    return out;
}

}  // namespace

// SIZE_MAX (the default everywhere) must mean exactly "no limit".
int64_t sql_limit(std::size_t limit) {
    constexpr auto max = static_cast<std::size_t>(std::numeric_limits<int64_t>::max());
    return limit > max ? -1 : static_cast<int64_t>(limit);
}

dataset sql_view::load_dataset(const dataset_id& id) {
    static const std::string sql =
        std::string(select_dataset) + "WHERE pool = ?1 AND identity = ?2 AND name = ?3";
    auto q = c_.prepare(sql);
    q->bind_all(id.pool, id.identity, id.name);
    if (q->step()) return dataset_row(*q);
    dataset absent;
    absent.id = id;
    return absent;
}

std::optional<record> sql_view::find_record(const dataset_id& id, const std::string& key) {
    static const std::string sql = std::string(select_record) + "AND key = ?4";
    auto q = c_.prepare(sql);
    q->bind_all(id.pool, id.identity, id.name, key);
    if (q->step()) return record_row(*q);
    return std::nullopt;
}

std::vector<record> sql_view::find_records(const dataset_id& id, const std::vector<std::string>& keys) {
    std::vector<record> out;
    out.reserve(keys.size());
    std::unordered_set<std::string_view> asked;
    for (const auto& key : keys)
        if (asked.insert(key).second)
            if (auto r = find_record(id, key)) out.push_back(std::move(*r));
    return out;
}

std::vector<record> sql_view::records_page(const dataset_id& id, const record_page_query& p) {
    const int64_t row = dataset_row_id(id);
    return row != 0 ? records_page_of_row(row, p) : std::vector<record>{};
}

std::vector<record> sql_view::records_page_of_row(int64_t row, const record_page_query& p) {
    static const std::string select = std::string("SELECT ") + record_columns + " FROM records WHERE dataset = ?1 ";
    static const std::string range = "AND sync_count > ?2 AND sync_count <= ?3 ";
    static const std::string order = "ORDER BY sync_count, key LIMIT ?4";
    static const std::string from_start = select + range + order;
    // The cursor term comes first so that the planner seeks the index to it (SQLite 3.40 picks
    // the first usable range term); the other bounds then only filter.
    static const std::string from_cursor = select + "AND (sync_count, key) > (?5, ?6) " + range + order;
    // A cursor below after_sync_count is implied by it and would only slow the seek.
    if (!p.after || p.after->sync_count < p.after_sync_count) {
        auto q = c_.prepare(from_start);
        q->bind_all(row, p.after_sync_count, p.max_sync_count, sql_limit(p.limit));
        return all_records(q);
    }
    auto q = c_.prepare(from_cursor);
    q->bind_all(row, p.after_sync_count, p.max_sync_count, sql_limit(p.limit), p.after->sync_count, p.after->key);
    return all_records(q);
}

int64_t sql_view::dataset_row_id(const dataset_id& id) {
    auto q = c_.prepare("SELECT id FROM datasets WHERE pool = ?1 AND identity = ?2 AND name = ?3");
    q->bind_all(id.pool, id.identity, id.name);
    return q->step() ? q->column_int(0) : 0;
}

std::vector<dataset> sql_view::datasets_page(const std::string& pool, const std::string& identity,
                                             const std::string& after_name, std::size_t limit) {
    static const std::string sql = std::string(select_dataset) +
                                   "WHERE pool = ?1 AND identity = ?2 AND name > ?3 AND state = 1"
                                   " ORDER BY name LIMIT ?4";
    auto q = c_.prepare(sql);
    q->bind_all(pool, identity, after_name, sql_limit(limit));
    std::vector<dataset> out;
    while (q->step()) out.push_back(dataset_row(*q));
    return out;
}

std::vector<dataset> sql_view::live_datasets_of_pool(const std::string& pool, const dataset_id* after,
                                                     std::size_t limit) {
    // Both forms walk the UNIQUE(pool, identity, name) index in order (BulkPublish, 7.5).
    static const std::string from_start =
        std::string(select_dataset) + "WHERE pool = ?1 AND state = 1 ORDER BY identity, name LIMIT ?2";
    static const std::string from_cursor = std::string(select_dataset) +
                                           "WHERE pool = ?1 AND (identity, name) > (?3, ?4) AND state = 1"
                                           " ORDER BY identity, name LIMIT ?2";
    auto q = c_.prepare(after ? from_cursor : from_start);
    if (after) q->bind_all(pool, sql_limit(limit), after->identity, after->name);
    else q->bind_all(pool, sql_limit(limit));
    std::vector<dataset> out;
    while (q->step()) out.push_back(dataset_row(*q));
    return out;
}

std::vector<dataset> sql_view::all_datasets_page(const dataset_id* after, std::size_t limit) {
    // Both forms walk the UNIQUE(pool, identity, name) index in order.
    static const std::string from_start = std::string(select_dataset) + "ORDER BY pool, identity, name LIMIT ?1";
    static const std::string from_cursor = std::string(select_dataset) +
                                           "WHERE (pool, identity, name) > (?2, ?3, ?4)"
                                           " ORDER BY pool, identity, name LIMIT ?1";
    auto q = c_.prepare(after ? from_cursor : from_start);
    if (after) q->bind_all(sql_limit(limit), after->pool, after->identity, after->name);
    else q->bind_all(sql_limit(limit));
    std::vector<dataset> out;
    while (q->step()) out.push_back(dataset_row(*q));
    return out;
}

std::vector<record> sql_view::records_by_key(const dataset_id& id, const std::string* after_key, std::size_t limit) {
    // The records' primary key (dataset, key) serves this order.
    static const std::string from_start = std::string(select_record) + "ORDER BY key LIMIT ?4";
    static const std::string from_cursor = std::string(select_record) + "AND key > ?5 ORDER BY key LIMIT ?4";
    auto q = c_.prepare(after_key ? from_cursor : from_start);
    if (after_key) q->bind_all(id.pool, id.identity, id.name, sql_limit(limit), *after_key);
    else q->bind_all(id.pool, id.identity, id.name, sql_limit(limit));
    return all_records(q);
}

int64_t sql_view::live_dataset_count(const std::string& pool, const std::string& identity) {
    auto q = c_.prepare("SELECT count(*) FROM datasets WHERE pool = ?1 AND identity = ?2 AND state = 1");
    q->bind_all(pool, identity);
    q->step();
    return q->column_int(0);
}

identity_usage sql_view::usage_of_identity(const std::string& pool, const std::string& identity) {
    auto q = c_.prepare(
        "SELECT coalesce(sum(state = 1), 0), coalesce(sum(CASE WHEN state = 1 THEN data_storage END), 0),"
        " coalesce(max(last_modified_ms), 0) FROM datasets WHERE pool = ?1 AND identity = ?2");
    q->bind_all(pool, identity);
    q->step();
    return {pool, identity, q->column_int(0), q->column_int(1), q->column_int(2)};
}

std::optional<pool_usage> sql_view::usage_of_pool(const std::string& pool) {
    auto q = c_.prepare(
        "SELECT EXISTS(SELECT 1 FROM datasets WHERE pool = ?1),"
        " (SELECT sessions FROM pool_sessions WHERE pool = ?1),"
        " (SELECT coalesce(sum(data_storage), 0) FROM datasets WHERE pool = ?1 AND state = 1),"
        " (SELECT coalesce(max(last_modified_ms), 0) FROM datasets WHERE pool = ?1)");
    q->bind_all(pool);
    q->step();
    const bool has_datasets = q->column_int(0) != 0;
    if (!has_datasets && q->column_is_null(1)) return std::nullopt;
    return pool_usage{pool, q->column_int(1), q->column_int(2), q->column_int(3)};
}

std::vector<pool_usage> sql_view::pools_page(const std::string& after_pool, std::size_t limit) {
    // Walks pool ids one index seek at a time rather than scanning every dataset row.
    std::vector<pool_usage> out;
    std::string cursor = after_pool;
    while (out.size() < limit) {
        std::optional<std::string> next;
        {
            auto q = c_.prepare(
                "SELECT min(p) FROM (SELECT min(pool) AS p FROM datasets WHERE pool > ?1"
                " UNION ALL SELECT min(pool) FROM pool_sessions WHERE pool > ?1)");
            q->bind_all(cursor);
            q->step();
            next = q->column_opt_text(0);
        }
        if (!next) break;
        if (auto usage = usage_of_pool(*next)) out.push_back(std::move(*usage));
        cursor = std::move(*next);
    }
    return out;
}

bool sql_view::session_used(const session_key& session) {
    auto q = c_.prepare("SELECT 1 FROM used_sessions WHERE expires_ms = ?1 AND session_id = ?2");
    q->bind_all(session.expires_ms, session.id);
    return q->step();
}

void sql_view::save_dataset(const dataset& d) {
    auto* rows = rows_for(d.id);
    if (rows && rows->dataset_row != 0) return update_dataset_row(*rows, d);
    // An upsert, not INSERT OR REPLACE: the row keeps its id, which its records refer to.
    auto q = c_.prepare(
        "INSERT INTO datasets(pool, identity, name, state, sync_count, deleted_at, creation_ms,"
        " last_modified_ms, last_modified_by, data_storage, num_records, tombstones, tombstone_bytes)"
        " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
        " ON CONFLICT(pool, identity, name) DO UPDATE SET state = excluded.state,"
        " sync_count = excluded.sync_count, deleted_at = excluded.deleted_at,"
        " creation_ms = excluded.creation_ms, last_modified_ms = excluded.last_modified_ms,"
        " last_modified_by = excluded.last_modified_by, data_storage = excluded.data_storage,"
        " num_records = excluded.num_records, tombstones = excluded.tombstones,"
        " tombstone_bytes = excluded.tombstone_bytes");
    q->bind_all(d.id.pool, d.id.identity, d.id.name, state_code(d.state), d.sync_count, d.deleted_at,
                d.creation_ms, d.last_modified_ms, d.last_modified_by, d.data_storage, d.num_records, d.tombstones,
                d.tombstone_bytes);
    q->step();
    if (rows) {  // it had no row: this inserted one
        rows->dataset_row = c_.last_insert_rowid();
        rows->changes = c_.total_changes();
    }
}

void sql_view::put_record(const dataset_id& id, const record& r) { put_records(id, {r}); }

// The dataset's row id is looked up once for the whole batch.
void sql_view::put_records(const dataset_id& id, const std::vector<record>& rs) {
    if (rs.empty()) return;
    if (auto* rows = rows_for(id); rows && rows->dataset_row != 0 && put_known_records(*rows, rs)) return;
    const int64_t dataset_row = dataset_row_id(id);
    if (dataset_row == 0)
        throw storage_error("put_record: no dataset row for " + id.pool + "/" + id.identity + "/" + id.name);
    auto q = c_.prepare(
        "INSERT INTO records(dataset, key, value, sync_count, last_modified_ms, last_modified_by,"
        " device_last_modified_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        " ON CONFLICT(dataset, key) DO UPDATE SET value = excluded.value,"
        " sync_count = excluded.sync_count, last_modified_ms = excluded.last_modified_ms,"
        " last_modified_by = excluded.last_modified_by,"
        " device_last_modified_ms = excluded.device_last_modified_ms");
    for (const auto& r : rs) {
        q->bind_all(dataset_row, r.key, r.value, r.sync_count, r.last_modified_ms, r.last_modified_by,
                    r.device_last_modified_ms);
        q->step();
        q->reset();
    }
}

void sql_view::drop_records(const dataset_id& id) {
    auto q = c_.prepare(
        "DELETE FROM records WHERE dataset = (SELECT id FROM datasets WHERE pool = ?1"
        " AND identity = ?2 AND name = ?3)");
    q->bind_all(id.pool, id.identity, id.name);
    q->step();
}

bool sql_view::spend_session(const session_key& session) {
    auto q = c_.prepare("INSERT OR IGNORE INTO used_sessions(expires_ms, session_id) VALUES(?1, ?2)");
    q->bind_all(session.expires_ms, session.id);
    q->step();
    return c_.changes() == 1;
}

}  // namespace cogsync::storage
