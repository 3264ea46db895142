#pragma once
// The record store: datasets and records on SQLite (WAL), one writer connection fed by a queue
// with group commit, read-only connections per reading thread, checkpoints off the request path.
//
// Contract:
//  * read(fn) runs fn on the calling thread inside one read transaction (a consistent snapshot)
//    on a read-only connection owned by that thread. Reads never wait for the writer.
//  * write(fn) hands fn to the writer thread. fn runs inside its own SAVEPOINT within a batch
//    transaction shared with other concurrent writes; returning false rolls back fn's changes
//    only. write() returns once the batch has committed (durable per the durability setting),
//    with fn's return value. SQLite failures throw storage_error from write()/read().
//  * Expected outcomes (not found, stale counts) are values; only SQLite failures throw.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/hooks_model.hpp"
#include "storage/model.hpp"

namespace cogsync::storage {

class storage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

enum class durability { full, normal };

struct store_options {
    std::string path;                        // database file; its directory must exist
    durability sync = durability::full;      // full = synchronous=FULL (survives power loss)
    std::size_t max_batch = 256;             // most writes committed together
    int checkpoint_interval_ms = 200;        // background PASSIVE checkpoint period
    int64_t wal_truncate_bytes = 64 << 20;   // WAL larger than this gets a TRUNCATE checkpoint
};

// Reads available both inside read() and inside write().
class read_view {
public:
    virtual ~read_view() = default;
    // state == absent (and other fields zero) when the name was never written.
    virtual dataset load_dataset(const dataset_id& id) = 0;
    virtual std::optional<record> find_record(const dataset_id& id, const std::string& key) = 0;
    // Records of the dataset ordered by (sync_count, key), filtered by q. Tombstones included.
    virtual std::vector<record> records_page(const dataset_id& id, const record_page_query& q) = 0;
    // Live datasets of one identity ordered by name, strictly after `after_name`.
    virtual std::vector<dataset> datasets_page(const std::string& pool, const std::string& identity,
                                               const std::string& after_name, std::size_t limit) = 0;
    virtual int64_t live_dataset_count(const std::string& pool, const std::string& identity) = 0;
    virtual identity_usage usage_of_identity(const std::string& pool, const std::string& identity) = 0;
    // nullopt when the pool has no dataset (live or deleted) and no issued session.
    virtual std::optional<pool_usage> usage_of_pool(const std::string& pool) = 0;
    // Known pools ordered by id, strictly after `after_pool`.
    virtual std::vector<pool_usage> pools_page(const std::string& after_pool, std::size_t limit) = 0;
    virtual bool session_used(const std::string& session_id) = 0;

    // --- push sync, streams, events, outbox (PROTOCOL.md 7) ---
    // nullopt when the pool was never configured (no Set* call ever stored anything).
    virtual std::optional<pool_config> load_pool_config(const std::string& pool) = 0;
    // The device only if it is registered to exactly this pool and identity.
    virtual std::optional<device> find_device(const std::string& pool, const std::string& identity,
                                              const std::string& device_id) = 0;
    // RegisterDevice idempotency (7.1): the device already registered for this token, if any.
    virtual std::optional<device> find_device_by_token(const std::string& pool, const std::string& identity,
                                                       const std::string& platform, const std::string& token) = 0;
    // Devices subscribed to the dataset, in device_id order.
    virtual std::vector<device> subscribers(const dataset_id& id) = 0;
    virtual bool is_subscribed(const dataset_id& id, const std::string& device_id) = 0;
    // status NOT_STARTED (other fields zero) when no BulkPublish was ever requested.
    virtual bulk_publish_state load_bulk_publish(const std::string& pool) = 0;
    // At most `limit` events with id > after_id, in id order.
    virtual std::vector<outbox_event> outbox_page(int64_t after_id, std::size_t limit) = 0;
    // Last event id the sink has handled; 0 if it never recorded one.
    virtual int64_t sink_cursor(const std::string& sink) = 0;
    // Live datasets of a pool in (identity, name) order, strictly after `after` (null = from start).
    virtual std::vector<dataset> live_datasets_of_pool(const std::string& pool, const dataset_id* after,
                                                       std::size_t limit) = 0;
};

class write_view : public read_view {
public:
    // Insert or replace the dataset row (keyed by d.id).
    virtual void save_dataset(const dataset& d) = 0;
    // Insert or replace one record of the dataset (keyed by r.key); the dataset row must exist.
    virtual void put_record(const dataset_id& id, const record& r) = 0;
    // Drop every record and tombstone of the dataset (DeleteDataset).
    virtual void drop_records(const dataset_id& id) = 0;
    // Marks a session token spent. Returns false (and changes nothing) if it already was.
    // Rows may be purged once expires_ms is past.
    virtual bool spend_session(const std::string& session_id, int64_t expires_ms) = 0;

    // Replaces everything stored for c.pool: both sub-structures (nullopt clears one) and Events.
    virtual void save_pool_config(const pool_config& c) = 0;
    // Insert or replace by d.device_id.
    virtual void save_device(const device& d) = 0;
    // Idempotent. Records the pair only: the caller checks that the device and dataset exist.
    virtual void subscribe(const dataset_id& id, const std::string& device_id) = 0;
    // False (and nothing changes) if the device was not subscribed.
    virtual bool unsubscribe(const dataset_id& id, const std::string& device_id) = 0;
    virtual void save_bulk_publish(const std::string& pool, const bulk_publish_state& s) = 0;
    // Appends e (e.id ignored) and returns its id: greater than every id ever assigned, never
    // reused even after trim_outbox. Commit order equals id order (one writer).
    virtual int64_t append_outbox(const outbox_event& e) = 0;
    virtual void set_sink_cursor(const std::string& sink, int64_t id) = 0;
    // Deletes events with id <= up_to_id.
    virtual void trim_outbox(int64_t up_to_id) = 0;
};

class record_store {
public:
    // Opens (creating if needed) and migrates the database, starts the writer and checkpointer.
    explicit record_store(store_options opts);
    ~record_store();  // drains queued writes, stops threads, closes connections
    record_store(const record_store&) = delete;
    record_store& operator=(const record_store&) = delete;

    template <class Fn>
    auto read(Fn&& fn) {
        decltype(fn(std::declval<read_view&>())) out{};
        run_read([&](read_view& v) { out = fn(v); });
        return out;
    }
    // fn returns true to keep its changes, false to roll them back. Blocks until durable.
    bool write(const std::function<bool(write_view&)>& fn);

    // Counts one issued SyncSessionToken for the pool. Kept in memory and added to the
    // database with the next write batch or within about a second: a counter, not user data.
    void count_session(const std::string& pool);

    int schema_version() const;

private:
    void run_read(const std::function<void(read_view&)>& fn);
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace cogsync::storage
