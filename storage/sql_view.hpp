#pragma once
// read_view and write_view over one connection. The caller owns the transaction: the view only
// runs statements inside whatever transaction (or savepoint) is open on the connection.
#include "storage/record_store.hpp"
#include "storage/sqlite.hpp"

namespace cogsync::storage {

class sql_view final : public write_view {
public:
    explicit sql_view(connection& c) : c_(c) {}

    dataset load_dataset(const dataset_id& id) override;
    std::optional<record> find_record(const dataset_id& id, const std::string& key) override;
    std::vector<record> records_page(const dataset_id& id, const record_page_query& q) override;
    std::vector<dataset> datasets_page(const std::string& pool, const std::string& identity,
                                       const std::string& after_name, std::size_t limit) override;
    int64_t live_dataset_count(const std::string& pool, const std::string& identity) override;
    identity_usage usage_of_identity(const std::string& pool, const std::string& identity) override;
    std::optional<pool_usage> usage_of_pool(const std::string& pool) override;
    std::vector<pool_usage> pools_page(const std::string& after_pool, std::size_t limit) override;
    bool session_used(const std::string& session_id) override;

    void save_dataset(const dataset& d) override;
    void put_record(const dataset_id& id, const record& r) override;
    void drop_records(const dataset_id& id) override;
    bool spend_session(const std::string& session_id, int64_t expires_ms) override;

private:
    connection& c_;
};

}  // namespace cogsync::storage
