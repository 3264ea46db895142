#pragma once
// Reads a live Cognito deployment through its public APIs (Cognito Identity 2014-06-30, JSON 1.1;
// Cognito Sync 2014-06-30, REST-JSON) into the values the import applies (api/transfer/
// import_line.hpp). The transport (signing, rate limit, retries) belongs to the caller
// (server/migrate_source.hpp); this layer builds requests and reads answers, and knows no HTTP
// library. An answer that is not 2xx throws source_error with the AWS error type and message.
#include <cstdint>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "storage/hooks_model.hpp"
#include "storage/identity_model.hpp"
#include "storage/model.hpp"

namespace cogsync::api::migrate {

struct source_request {
    std::string service;    // signing name: "cognito-identity" or "cognito-sync"
    std::string method;     // GET, POST
    std::string target;     // path and query, percent-encoded as sent
    std::string operation;  // Cognito Identity: the X-Amz-Target operation; "" for Cognito Sync
    std::string body;
};

struct source_reply {
    unsigned status = 0;
    std::string body;
};

using source_transport = std::function<source_reply(const source_request&)>;

class source_error : public std::runtime_error {
public:
    source_error(unsigned status, std::string type, const std::string& message)
        : std::runtime_error(type + " (HTTP " + std::to_string(status) + "): " + message), type_(std::move(type)) {}
    const std::string& type() const { return type_; }

private:
    std::string type_;
};

// One identity as ListIdentities lists it: the provider names of its logins, not the subjects.
struct listed_identity {
    storage::identity identity;
    std::vector<std::string> providers;
};

struct identities_page {
    std::vector<listed_identity> identities;
    std::string next_token;  // "" on the last page
};

// ListRecords from an exclusive count, every page followed.
struct records_listing {
    std::vector<storage::record> records;
    int64_t dataset_sync_count = 0;
    bool exists = false;
    bool deleted_after = false;  // DatasetDeletedAfterRequestedSyncCount
    std::vector<std::string> merged_names;
};

class source_api {
public:
    explicit source_api(source_transport send) : send_(std::move(send)) {}

    // DescribeIdentityPool, checked as CreateIdentityPool checks its input (created_ms 0: unknown).
    storage::identity_pool describe_pool(const std::string& pool);
    // GetIdentityPoolConfiguration and GetCognitoEvents; nullopt when nothing is configured.
    std::optional<storage::pool_config> pool_config(const std::string& pool);
    identities_page list_identities(const std::string& pool, const std::string& next_token);
    // LookupDeveloperIdentity by IdentityId, every page.
    std::vector<std::string> developer_users(const std::string& pool, const std::string& identity);
    // ListDatasets, every page: live datasets with their dates, sync_count unknown (0).
    std::vector<storage::dataset> list_datasets(const std::string& pool, const std::string& identity);
    records_listing list_records(const storage::dataset_id& id, int64_t last_sync_count);

    int64_t requests() const { return requests_; }

private:
    std::string call_identity(const std::string& operation, const std::string& body);
    std::string call_sync(const std::string& target);
    source_transport send_;
    int64_t requests_ = 0;
};

}  // namespace cogsync::api::migrate
