#pragma once
// The store contract: what the API needs from any storage engine. storage/sqlite/ is the
// embedded default; another engine (one folder per engine) implements the same contract and
// passes the same contract tests (tests/unit/storage/contract/).
//
// Contract:
//  * read(fn) runs fn on the calling thread inside one consistent snapshot. Reads never wait for
//    writers. A read nested in another read on the same thread shares the outer snapshot. On a
//    thread that called share_read_snapshots(), successive reads may share one snapshot until
//    release_read_snapshot(), but only while no write of this store has committed since it was
//    taken: each read still sees every write acknowledged before it began.
//  * write_async(job, done) runs job inside a transaction and calls done once that transaction
//    has committed (durably, per the engine's durability setting) or failed. done runs on an
//    engine thread: it must return quickly and never block (post the continuation elsewhere).
//    - job returns true to keep its changes, false to roll them back. Expected outcomes
//      (conflict, limit, not found) travel out of the job as values the job's owner captured;
//      only engine failures throw (storage_error), and any exception from job rolls it back and
//      reaches done.
//    - A job may run more than once: an engine with many writers retries it after a
//      serialization failure, so a job must reset whatever it captured at its start and must not
//      act outside the store.
//    - Check-then-write rules (sync counts, per-identity limits) call lock_identity() before
//      their first read; the engine serializes jobs holding the same identity until they commit.
//  * The event log (outbox): ids grow, are never reused, and a consumer that has read up to id N
//    never later meets a newly committed event with an id <= N. An engine whose transactions may
//    commit out of id order must hide an event until every lower id has committed or rolled back.
//  * Node state: small named values shared by every node using this store (the token key).
//  * A completion may hand the store its next job with write_async, even while the store closes;
//    a job handed over after the store began closing otherwise gets a storage_error through its
//    done. write_async never throws for a failure of the store.
//  * Destroying the store runs every job already handed to write_async (calling its done) and
//    stores the session counts still held in memory: the server drains its writes this way
//    before it exits (server/app.cpp), and a store opened again over the same data sees them.
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/hooks_model.hpp"
#include "storage/identity_model.hpp"
#include "storage/metric_sample.hpp"
#include "storage/model.hpp"

namespace cogsync::storage {

class storage_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Reads available both inside read() and inside a write job.
class read_view {
public:
    virtual ~read_view() = default;
    // state == absent (and other fields zero) when the name was never written.
    virtual dataset load_dataset(const dataset_id& id) = 0;
    virtual std::optional<record> find_record(const dataset_id& id, const std::string& key) = 0;
    // The records among `keys` that exist (live or tombstone), each once however often its key is
    // asked, in no particular order.
    virtual std::vector<record> find_records(const dataset_id& id, const std::vector<std::string>& keys) = 0;
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
    virtual bool session_used(const session_key& session) = 0;

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
    // Devices registered to the identity, and devices subscribed to the dataset (the fan-out
    // limits of RegisterDevice and SubscribeToDataset).
    virtual int64_t device_count(const std::string& pool, const std::string& identity) = 0;
    virtual int64_t subscriber_count(const dataset_id& id) = 0;
    // status NOT_STARTED (other fields zero) when no BulkPublish was ever requested.
    virtual bulk_publish_state load_bulk_publish(const std::string& pool) = 0;
    // At most `limit` events with id > after_id, in id order (see the event-log contract above).
    virtual std::vector<outbox_event> outbox_page(int64_t after_id, std::size_t limit) = 0;
    // How many events have id > after_id, counted without reading them.
    virtual int64_t outbox_backlog(int64_t after_id) = 0;
    // The sink's waiting (not dead) parked deliveries due at now_ms, earliest due first.
    virtual std::vector<parked_delivery> due_deliveries(const std::string& sink, int64_t now_ms,
                                                        std::size_t limit) = 0;
    // Dead letters in id order, strictly after after_id, of one sink ("" = every sink).
    virtual std::vector<parked_delivery> dead_letters(const std::string& sink, int64_t after_id,
                                                      std::size_t limit) = 0;
    // Per sink that ever had a dead letter, in sink order; cheap (no dead letter is read).
    virtual std::vector<dead_letter_count> dead_letter_counts() = 0;
    // Last event id the sink has handled; 0 if it never recorded one.
    virtual int64_t sink_cursor(const std::string& sink) = 0;
    // Live datasets of a pool in (identity, name) order, strictly after `after` (null = from start).
    virtual std::vector<dataset> live_datasets_of_pool(const std::string& pool, const dataset_id* after,
                                                       std::size_t limit) = 0;
    // A node-state value; nullopt when never saved.
    virtual std::optional<std::string> node_value(const std::string& name) = 0;
    // The body of the stream payload kept under `id` with exactly this expiry (epoch seconds),
    // whether or not that time has passed; nullopt when none is kept.
    virtual std::optional<std::string> find_stream_payload(const std::string& id, int64_t expires_s) = 0;

    // --- every row in one fixed order, page by page (cogsync export) ---
    // Every dataset, live or deleted, in (pool, identity, name) order, strictly after `after`
    // (null = from the start).
    virtual std::vector<dataset> all_datasets_page(const dataset_id* after, std::size_t limit) = 0;
    // The dataset's records, tombstones included, in byte-wise key order, strictly after
    // `after_key` (null = from the first key).
    virtual std::vector<record> records_by_key(const dataset_id& id, const std::string* after_key,
                                               std::size_t limit) = 0;
    // Every stored pool configuration (see load_pool_config), in pool order, after `after_pool`.
    virtual std::vector<pool_config> pool_configs_page(const std::string& after_pool, std::size_t limit) = 0;
    // Every device in (pool, identity, device_id) order, strictly after `after`.
    virtual std::vector<device> devices_page(const device* after, std::size_t limit) = 0;
    // Every subscription in (pool, identity, dataset, device_id) order, strictly after `after`.
    virtual std::vector<subscription> subscriptions_page(const subscription* after, std::size_t limit) = 0;

    // --- Cognito Identity (api/identity/) ---
    virtual std::optional<identity_pool> find_identity_pool(const std::string& pool) = 0;
    // Identity pools ordered by id, strictly after `after_pool`.
    virtual std::vector<identity_pool> identity_pools_page(const std::string& after_pool, std::size_t limit) = 0;
    // The pool whose developer provider name is `name`, if any.
    virtual std::optional<identity_pool> find_pool_by_developer_provider(const std::string& name) = 0;
    // Identity ids are unique across pools, so an identity is found by its id alone.
    virtual std::optional<identity> find_identity(const std::string& identity_id) = 0;
    // Identities of one pool ordered by id, strictly after `after_id`.
    virtual std::vector<identity> identities_page(const std::string& pool, const std::string& after_id,
                                                  std::size_t limit) = 0;
    // The identity a login is linked to in the pool; nullopt when none.
    virtual std::optional<std::string> find_login(const std::string& pool, const std::string& provider,
                                                  const std::string& subject) = 0;
    // Logins linked to the identity, ordered by (provider, subject).
    virtual std::vector<identity_login> logins_of_identity(const std::string& pool, const std::string& identity_id) = 0;
    // Identities merged into `destination` (MergeDeveloperIdentities), ordered by id.
    virtual std::vector<std::string> merged_into(const std::string& pool, const std::string& destination) = 0;
    // A minted credential by its access key, expired or not (the caller compares expires_ms).
    virtual std::optional<minted_credential> find_minted_credential(const std::string& access_key) = 0;

    // What ListRecords reads, in one call so that an engine across a network may send it in one
    // round trip: whether `session` (if given) was spent, the dataset, the datasets
    // merged_dataset_name(id.name, source) that exist (live or deleted) for the identities merged
    // into id.identity (in merged_into's order), and, if the engine reads it along, records_page(id, guess): a guess
    // made before the dataset is known, which the caller checks against the page it needs.
    struct listing_start {
        bool session_used = false;
        dataset current;
        std::vector<dataset> merged;
        std::optional<std::vector<record>> page;
    };
    virtual listing_start start_listing(const dataset_id& id, const std::optional<session_key>& session,
                                        const record_page_query& guess);

protected:
    // start_listing's merged datasets: those of merged_into(id.identity) that exist.
    std::vector<dataset> merged_datasets(const dataset_id& id);
};

class write_view : public read_view {
public:
    // Serializes this job with every other job that locks the same identity, until commit.
    // Call it before the reads a check-then-write rule depends on.
    virtual void lock_identity(const std::string& pool, const std::string& identity) = 0;
    // Insert or replace the dataset row (keyed by d.id).
    virtual void save_dataset(const dataset& d) = 0;
    // Insert or replace one record of the dataset (keyed by r.key); the dataset row must exist.
    virtual void put_record(const dataset_id& id, const record& r) = 0;
    // Insert or replace many records of one dataset at once.
    virtual void put_records(const dataset_id& id, const std::vector<record>& rs) = 0;
    // Drop every record and tombstone of the dataset (DeleteDataset).
    virtual void drop_records(const dataset_id& id) = 0;
    // Marks a session token spent. Returns false (and changes nothing) if it already was.
    // Rows may be purged once session.expires_ms is past.
    virtual bool spend_session(const session_key& session) = 0;

    // What an UpdateRecords job reads before it decides, in one call so that an engine across a
    // network may send it in one round trip: the pool's configuration (if with_config), then
    // lock_identity, the dataset, the stored records of `keys` (find_records), and
    // spend_session's answer. The spend is undone with everything else when the job rolls back.
    struct update_start {
        std::optional<pool_config> config;
        dataset current;
        std::vector<record> records;
        bool session_spent = false;
        // live_dataset_count, if the engine read it along (else the caller asks when it must).
        std::optional<int64_t> live_datasets;
    };
    virtual update_start start_update(const dataset_id& id, const std::vector<std::string>& keys,
                                      const session_key& session, bool with_config);

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
    // reused even after trim_outbox.
    virtual int64_t append_outbox(const outbox_event& e) = 0;
    // append_outbox for a caller that needs no id: an engine may send it with the commit.
    virtual void add_outbox(const outbox_event& e) { append_outbox(e); }
    virtual void set_sink_cursor(const std::string& sink, int64_t id) = 0;
    // Takes or renews the sink's delivery lease for `holder`, valid ttl_ms from now by the
    // store's own clock (a database server's, so the nodes' clocks need not agree). It is taken
    // when nobody holds it, when the holder's lease has run out, or when `holder` holds it
    // already. Returns whether `holder` holds it now.
    virtual bool take_sink_lease(const std::string& sink, const std::string& holder, int64_t ttl_ms) = 0;
    // Gives the lease up if `holder` holds it, so that another node may take it at once.
    virtual void release_sink_lease(const std::string& sink, const std::string& holder) = 0;
    // Deletes events with id <= up_to_id.
    virtual void trim_outbox(int64_t up_to_id) = 0;
    // Parks d, or updates the delivery parked for the same (sink, event id, target); returns its
    // id. A delivery that becomes dead adds one to its sink's total.
    virtual int64_t park_delivery(const parked_delivery& d) = 0;
    virtual void drop_parked(int64_t id) = 0;
    // Makes dead letters wait again, due at now_ms with no attempt counted: those of `sink`
    // ("" = every sink), or only the one numbered `id` (0 = every one). Returns how many.
    virtual int64_t replay_dead_letters(const std::string& sink, int64_t id, int64_t now_ms) = 0;
    // Insert or replace a node-state value.
    virtual void save_node_value(const std::string& name, const std::string& value) = 0;
    // Stream payloads beyond Kinesis's record limit (api/stream_payloads.hpp), kept in the store
    // so that every node serves the URL any node handed out. Insert or replace by id.
    virtual void keep_stream_payload(const std::string& id, int64_t expires_s, const std::string& body) = 0;
    // Deletes the payloads whose expiry is at or before now_s; returns how many.
    virtual int64_t drop_expired_stream_payloads(int64_t now_s) = 0;

    // --- Cognito Identity (api/identity/) ---
    // Insert or replace by p.id. Returns false (and changes nothing) when another pool already
    // holds p.developer_provider_name: AWS requires it unique per account and region.
    virtual bool save_identity_pool(const identity_pool& p) = 0;
    // Deletes the pool with its identities, logins, merges and minted credentials; its sync
    // datasets stay (the two services are separate). False when the pool did not exist.
    virtual bool delete_identity_pool(const std::string& pool) = 0;
    // Insert or replace by i.id; the pool must exist.
    virtual void save_identity(const identity& i) = 0;
    // Deletes the identity with its logins, merges and minted credentials. False when absent.
    virtual bool delete_identity(const std::string& identity_id) = 0;
    // Links (pool, provider, subject) to the identity, replacing an earlier link of that login.
    virtual void link_login(const std::string& pool, const identity_login& l, const std::string& identity_id) = 0;
    // False (and nothing changes) when the login was not linked to that identity.
    virtual bool unlink_login(const std::string& pool, const identity_login& l, const std::string& identity_id) = 0;
    // Records that `source` was merged into `destination`. Idempotent.
    virtual void record_merge(const std::string& pool, const std::string& destination, const std::string& source) = 0;
    // Insert or replace by c.access_key.
    virtual void save_minted_credential(const minted_credential& c) = 0;
    // Deletes every credential minted for the identity; returns how many.
    virtual int64_t revoke_credentials(const std::string& pool, const std::string& identity_id) = 0;
    // Deletes credentials whose expires_ms <= now_ms; returns how many.
    virtual int64_t purge_expired_credentials(int64_t now_ms) = 0;
};

class record_store {
public:
    using write_job = std::function<bool(write_view&)>;
    // kept: the job's return value; error: the job's own exception or a storage_error.
    using write_done = std::function<void(bool kept, std::exception_ptr error)>;

    virtual ~record_store() = default;

    template <class Fn>
    auto read(Fn&& fn) {
        decltype(fn(std::declval<read_view&>())) out{};
        run_read([&](read_view& v) { out = fn(v); });
        return out;
    }
    virtual void write_async(write_job job, write_done done) = 0;
    // From now on the calling thread's reads may keep their snapshot for the next read, which
    // reuses it when no write of this store has committed meanwhile (beginning a snapshot is a
    // good part of a small read's cost). The thread must call release_read_snapshot() often (the
    // server's I/O threads do after each run of ready handlers): a kept snapshot holds back the
    // engine's cleanup (SQLite's checkpoints) and hides other processes' writes. An engine may
    // ignore both (the default).
    virtual void share_read_snapshots() {}
    // Ends the calling thread's kept snapshot, if any. Never throws.
    virtual void release_read_snapshot() {}
    // Blocks the calling thread until the job's transaction is over; rethrows its error. For
    // background threads and tools, never for a thread that serves requests.
    bool write(const write_job& job);
    // Blocks until every job handed to write_async before the call has finished, its done
    // included (the server's last step before it tears down what jobs use). The default, one
    // empty write, suffices for an engine that runs jobs one at a time in order.
    virtual void drain();

    // Counts one issued SyncSessionToken for the pool. May be kept in memory for about a second
    // before it reaches the store: a counter, not user data. A count is stored only for a pool
    // that holds a dataset (live or deleted) by then, and dropped otherwise: ListRecords on a
    // never-written pool is a read and must not grow the store.
    virtual void count_session(const std::string& pool) = 0;

    // The node-state value `name`; the first caller stores make()'s result, and every node then
    // reads that same value.
    std::string node_secret(const std::string& name, const std::function<std::string()>& make);

    virtual int schema_version() const = 0;

    // False while the engine cannot reach its data (a database server down): /ready reports it.
    // An embedded engine is always reachable.
    virtual bool reachable() const { return true; }

    // Calls fn after events were committed to the outbox by any process using this store (and
    // maybe also for this process's own), so that a node delivering a sink wakes at once
    // instead of at its next tick. fn runs on an engine thread and must return at once; an empty
    // fn stops the calls, and once the setter returns the previous fn is never called again. An
    // engine no other process writes may never call it.
    virtual void on_outbox_committed(std::function<void()> fn) { (void)fn; }

    // What the engine reports about itself for monitoring, read when scraped; may touch files
    // but never blocks on a write. Families are grouped, each family's samples together.
    virtual std::vector<metric_sample> engine_metrics() const { return {}; }

protected:
    virtual void run_read(const std::function<void(read_view&)>& fn) = 0;
    // Throws std::logic_error on a thread the engine needs to finish writes (a job or a
    // completion): write() waiting there would wait for ever.
    virtual void check_may_wait() const {}
};

}  // namespace cogsync::storage
