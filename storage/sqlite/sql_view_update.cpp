// The UpdateRecords job's reads and writes by row id, and ListRecords' read of its page.
//
// write_view's generic start_update, then save_dataset and put_records, looked the dataset up by
// (pool, identity, name) in every statement (once per key read, once more to write the records)
// and wrote through upserts that probe the unique index before they update. Here start_update reads the dataset's and the records' row ids
// along, and the same job's save_dataset and put_records update those rows by id and insert the
// keys it found absent. What it found is trusted only while the connection has changed no row
// since (sqlite3_total_changes) and only within one job (the writer calls begin_job).
//
// start_listing reads the page the caller guessed (records_page_of_row) by the dataset's row id
// too, when the dataset is live and the page may hold a record, so that a delta ListRecords looks
// the dataset up once (and, for a dataset unchanged since the device last synced, reads no page).
#include <algorithm>

#include "storage/dataset_state_code.hpp"
#include "storage/sqlite/sql_rows.hpp"
#include "storage/sqlite/sql_view.hpp"

namespace cogsync::storage {

write_view::update_start sql_view::start_update(const dataset_id& id, const std::vector<std::string>& keys,
                                                const session_key& session, bool with_config) {
    rows_.reset();
    update_start out;
    if (with_config) out.config = load_pool_config(id.pool);
    lock_identity(id.pool, id.identity);
    update_rows rows{id, 0, {}, 0};
    out.current = load_dataset_and_row(id, rows.dataset_row);
    for (const auto& key : keys) {
        auto [slot, fresh] = rows.records.try_emplace(key, 0);
        if (!fresh || rows.dataset_row == 0) continue;
        static const std::string sql =
            std::string("SELECT ") + record_columns + ", rowid FROM records WHERE dataset = ?1 AND key = ?2";
        auto q = c_.prepare(sql);
        q->bind_all(rows.dataset_row, key);
        if (!q->step()) continue;
        out.records.push_back(record_row(*q));
        slot->second = q->column_int(6);
    }
    out.session_spent = spend_session(session);
    rows.changes = c_.total_changes();
    rows_ = std::move(rows);
    return out;
}

dataset sql_view::load_dataset_and_row(const dataset_id& id, int64_t& row) {
    static const std::string sql = std::string("SELECT ") + dataset_columns +
                                   ", id FROM datasets WHERE pool = ?1 AND identity = ?2 AND name = ?3";
    auto q = c_.prepare(sql);
    q->bind_all(id.pool, id.identity, id.name);
    row = 0;
    dataset out;
    if (q->step()) {
        out = dataset_row(*q);
        row = q->column_int(13);
    } else {
        out.id = id;
    }
    return out;
}

sql_view::update_rows* sql_view::rows_for(const dataset_id& id) {
    if (!rows_ || rows_->changes != c_.total_changes()) {
        rows_.reset();
        return nullptr;
    }
    const auto& r = rows_->id;
    return r.pool == id.pool && r.identity == id.identity && r.name == id.name ? &*rows_ : nullptr;
}

void sql_view::update_dataset_row(update_rows& rows, const dataset& d) {
    auto q = c_.prepare(
        "UPDATE datasets SET state = ?2, sync_count = ?3, deleted_at = ?4, creation_ms = ?5, last_modified_ms = ?6,"
        " last_modified_by = ?7, data_storage = ?8, num_records = ?9, tombstones = ?10, tombstone_bytes = ?11"
        " WHERE id = ?1");
    q->bind_all(rows.dataset_row, state_code(d.state), d.sync_count, d.deleted_at, d.creation_ms, d.last_modified_ms,
                d.last_modified_by, d.data_storage, d.num_records, d.tombstones, d.tombstone_bytes);
    q->step();
    rows.changes = c_.total_changes();
}

bool sql_view::put_known_records(update_rows& rows, const std::vector<record>& rs) {
    for (const auto& r : rs)
        if (!rows.records.count(r.key)) return false;  // a key start_update was not asked for
    auto update = c_.prepare(
        "UPDATE records SET value = ?2, sync_count = ?3, last_modified_ms = ?4, last_modified_by = ?5,"
        " device_last_modified_ms = ?6 WHERE rowid = ?1");
    auto insert = c_.prepare(
        "INSERT INTO records(dataset, key, value, sync_count, last_modified_ms, last_modified_by,"
        " device_last_modified_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    for (const auto& r : rs) {
        auto known = rows.records.find(r.key);
        if (known->second != 0) {
            update->bind_all(known->second, r.value, r.sync_count, r.last_modified_ms, r.last_modified_by,
                             r.device_last_modified_ms);
            update->step();
            update->reset();
        } else {
            insert->bind_all(rows.dataset_row, r.key, r.value, r.sync_count, r.last_modified_ms, r.last_modified_by,
                             r.device_last_modified_ms);
            insert->step();
            insert->reset();
            known->second = c_.last_insert_rowid();
        }
    }
    rows.changes = c_.total_changes();
    return true;
}

read_view::listing_start sql_view::start_listing(const dataset_id& id, const std::optional<session_key>& session,
                                                 const record_page_query& guess) {
    listing_start out;
    if (session) out.session_used = session_used(*session);
    int64_t row = 0;
    out.current = load_dataset_and_row(id, row);
    out.merged = merged_datasets(id);
    // Every record the caller may use is at most the dataset's count: at or below the guess's
    // lower bound (a device polling an unchanged dataset) there is nothing to read along.
    const bool may_hold = guess.after_sync_count < std::min(guess.max_sync_count, out.current.sync_count);
    if (out.current.state == dataset_state::live && may_hold) out.page = records_page_of_row(row, guess);
    return out;
}

}  // namespace cogsync::storage
