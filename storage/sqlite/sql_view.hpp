#pragma once
// read_view and write_view over one connection. The caller owns the transaction: the view only
// runs statements inside whatever transaction (or savepoint) is open on the connection.
#include <optional>
#include <unordered_map>

#include "storage/record_store.hpp"
#include "storage/sqlite/sqlite.hpp"

namespace cogsync::storage {

// A LIMIT value: SQLite reads a negative LIMIT as "no limit", which SIZE_MAX must mean.
int64_t sql_limit(std::size_t limit);

class sql_view final : public write_view {
public:
    explicit sql_view(connection& c) : c_(c) {}

    dataset load_dataset(const dataset_id& id) override;
    std::optional<record> find_record(const dataset_id& id, const std::string& key) override;
    std::vector<record> find_records(const dataset_id& id, const std::vector<std::string>& keys) override;
    std::vector<record> records_page(const dataset_id& id, const record_page_query& q) override;
    std::vector<dataset> datasets_page(const std::string& pool, const std::string& identity,
                                       const std::string& after_name, std::size_t limit) override;
    int64_t live_dataset_count(const std::string& pool, const std::string& identity) override;
    identity_usage usage_of_identity(const std::string& pool, const std::string& identity) override;
    std::optional<pool_usage> usage_of_pool(const std::string& pool) override;
    std::vector<pool_usage> pools_page(const std::string& after_pool, std::size_t limit) override;
    bool session_used(const session_key& session) override;

    void save_dataset(const dataset& d) override;
    void put_record(const dataset_id& id, const record& r) override;
    void put_records(const dataset_id& id, const std::vector<record>& rs) override;
    // One writer serializes every job already (storage/sqlite/sqlite_store.hpp).
    void lock_identity(const std::string&, const std::string&) override {}
    void drop_records(const dataset_id& id) override;
    bool spend_session(const session_key& session) override;
    // start_update reads the dataset's and the records' row ids along; the same job's
    // save_dataset and put_records then write by row id (sql_view_update.cpp).
    update_start start_update(const dataset_id& id, const std::vector<std::string>& keys,
                              const session_key& session, bool with_config) override;
    listing_start start_listing(const dataset_id& id, const std::optional<session_key>& session,
                                const record_page_query& guess) override;
    // Forgets what start_update found. The writer calls it before every job.
    void begin_job() { rows_.reset(); }

    // Push sync, streams, events and the outbox: sql_view_hooks.cpp.
    std::optional<pool_config> load_pool_config(const std::string& pool) override;
    std::optional<device> find_device(const std::string& pool, const std::string& identity,
                                      const std::string& device_id) override;
    std::optional<device> find_device_by_token(const std::string& pool, const std::string& identity,
                                               const std::string& platform, const std::string& token) override;
    std::vector<device> subscribers(const dataset_id& id) override;
    bool is_subscribed(const dataset_id& id, const std::string& device_id) override;
    int64_t device_count(const std::string& pool, const std::string& identity) override;
    int64_t subscriber_count(const dataset_id& id) override;
    bulk_publish_state load_bulk_publish(const std::string& pool) override;
    std::vector<outbox_event> outbox_page(int64_t after_id, std::size_t limit) override;
    int64_t sink_cursor(const std::string& sink) override;
    // Parked deliveries and dead letters: sql_view_parked.cpp.
    int64_t outbox_backlog(int64_t after_id) override;
    std::vector<parked_delivery> due_deliveries(const std::string& sink, int64_t now_ms, std::size_t limit) override;
    std::vector<parked_delivery> dead_letters(const std::string& sink, int64_t after_id, std::size_t limit) override;
    std::vector<dead_letter_count> dead_letter_counts() override;
    int64_t park_delivery(const parked_delivery& d) override;
    void drop_parked(int64_t id) override;
    int64_t replay_dead_letters(const std::string& sink, int64_t id, int64_t now_ms) override;
    std::vector<dataset> live_datasets_of_pool(const std::string& pool, const dataset_id* after,
                                               std::size_t limit) override;

    void save_pool_config(const pool_config& c) override;
    void save_device(const device& d) override;
    void subscribe(const dataset_id& id, const std::string& device_id) override;
    bool unsubscribe(const dataset_id& id, const std::string& device_id) override;
    void save_bulk_publish(const std::string& pool, const bulk_publish_state& s) override;
    int64_t append_outbox(const outbox_event& e) override;
    void set_sink_cursor(const std::string& sink, int64_t id) override;
    bool take_sink_lease(const std::string& sink, const std::string& holder, int64_t ttl_ms) override;
    void release_sink_lease(const std::string& sink, const std::string& holder) override;
    void trim_outbox(int64_t up_to_id) override;
    std::optional<std::string> node_value(const std::string& name) override;
    std::optional<std::string> find_stream_payload(const std::string& id, int64_t expires_s) override;
    // Every row in a fixed order (datasets and records here, the rest in sql_view_hooks.cpp).
    std::vector<dataset> all_datasets_page(const dataset_id* after, std::size_t limit) override;
    std::vector<record> records_by_key(const dataset_id& id, const std::string* after_key, std::size_t limit) override;
    std::vector<pool_config> pool_configs_page(const std::string& after_pool, std::size_t limit) override;
    std::vector<device> devices_page(const device* after, std::size_t limit) override;
    std::vector<subscription> subscriptions_page(const subscription* after, std::size_t limit) override;
    void save_node_value(const std::string& name, const std::string& value) override;
    void keep_stream_payload(const std::string& id, int64_t expires_s, const std::string& body) override;
    int64_t drop_expired_stream_payloads(int64_t now_s) override;

    // Cognito Identity: sql_view_identity.cpp.
    std::optional<identity_pool> find_identity_pool(const std::string& pool) override;
    std::vector<identity_pool> identity_pools_page(const std::string& after_pool, std::size_t limit) override;
    std::optional<identity_pool> find_pool_by_developer_provider(const std::string& name) override;
    std::optional<identity> find_identity(const std::string& identity_id) override;
    std::vector<identity> identities_page(const std::string& pool, const std::string& after_id,
                                          std::size_t limit) override;
    std::optional<std::string> find_login(const std::string& pool, const std::string& provider,
                                          const std::string& subject) override;
    std::vector<identity_login> logins_of_identity(const std::string& pool, const std::string& identity_id) override;
    std::vector<std::string> merged_into(const std::string& pool, const std::string& destination) override;
    std::optional<minted_credential> find_minted_credential(const std::string& access_key) override;
    bool save_identity_pool(const identity_pool& p) override;
    bool delete_identity_pool(const std::string& pool) override;
    void save_identity(const identity& i) override;
    bool delete_identity(const std::string& identity_id) override;
    void link_login(const std::string& pool, const identity_login& l, const std::string& identity_id) override;
    bool unlink_login(const std::string& pool, const identity_login& l, const std::string& identity_id) override;
    void record_merge(const std::string& pool, const std::string& destination, const std::string& source) override;
    void save_minted_credential(const minted_credential& c) override;
    int64_t revoke_credentials(const std::string& pool, const std::string& identity_id) override;
    int64_t purge_expired_credentials(int64_t now_ms) override;

private:
    // What start_update found, valid while nothing else has changed a row on the connection.
    struct update_rows {
        dataset_id id;
        int64_t dataset_row = 0;                           // 0: none stored
        std::unordered_map<std::string, int64_t> records;  // every key asked for; 0: none stored
        int64_t changes = 0;                               // total_changes when last known true
    };
    dataset load_dataset_and_row(const dataset_id& id, int64_t& row);  // row: 0 when none
    int64_t dataset_row_id(const dataset_id& id);                        // 0 when none
    std::vector<record> records_page_of_row(int64_t row, const record_page_query& p);
    update_rows* rows_for(const dataset_id& id);
    void update_dataset_row(update_rows& rows, const dataset& d);
    bool put_known_records(update_rows& rows, const std::vector<record>& rs);

    connection& c_;
    std::optional<update_rows> rows_;
};

}  // namespace cogsync::storage
