#pragma once
// Every setting of the daemon, with its default. Filled from flags, then environment variables,
// then these defaults (config/parse_settings.cpp), and validated there.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/credentials.hpp"
#include "config/hooks_config.hpp"
#include "config/declared_pool.hpp"
#include "config/oidc_provider.hpp"

namespace cogsync::config {

struct settings {
    std::string listen_host = "127.0.0.1";
    uint16_t listen_port = 8080;             // 0 = any free port
    std::string data_dir = "./cogsync-data";
    std::string store;                       // empty: SQLite in data_dir; else a postgres:// URL (storage/open_store.hpp)
    int io_threads = 2;                      // HTTP I/O threads
    int workers = 0;                         // no longer used: requests never wait on a thread
    int outbound_threads = 32;               // threads that wait on Sync Trigger calls
    int trigger_concurrency = 8;             // Sync Trigger calls in flight per identity pool
    int shutdown_grace_ms = 10000;           // SIGTERM: time allowed to finish the requests already read
    std::size_t max_buffered_bytes = 64u << 20;  // request bytes held at once, all connections together
    std::string durability = "full";         // full | normal
    std::size_t max_body_bytes = 8u << 20;
    std::size_t max_header_bytes = 16u << 10;
    std::size_t max_header_count = 100;
    int read_timeout_ms = 30000;             // whole request, from its first byte
    int idle_timeout_ms = 60000;             // keep-alive connection waiting for a request
    std::size_t max_connections = 4096;
    std::string region = "us-east-1";        // this server's AWS region name, in Sync Trigger events
    int credentials_ttl_seconds = 3600;      // GetCredentialsForIdentity credentials lifetime
    int session_ttl_seconds = 300;           // SyncSessionToken lifetime (PROTOCOL.md 5.5)
    int64_t max_datasets = 20;               // per identity (PROTOCOL.md 6.1)
    int64_t max_records = 1024;              // live records per dataset
    int64_t max_dataset_bytes = 1048576;     // UTF-8 key+value bytes per dataset
    int64_t max_devices = 20;                // registered push devices per identity
    int64_t max_subscriptions = 20;          // subscribed devices per dataset
    std::string log_level = "info";          // trace | debug | info | warn | error
    std::string log_format = "text";         // text | json (server/log_format.hpp)
    std::string log_file;                    // empty: stderr; reopened on SIGHUP
    bool access_log = false;                 // a line per answered request, at info
    // Authentication: "open" accepts any request; "sigv4" requires a valid signature by a key of
    // the credentials file. Unset: sigv4 when a credentials file is given, open otherwise.
    std::string auth_mode;
    std::string credentials_file;
    std::vector<credential> credentials;     // the config file's [credentials.*] tables, in place of a credentials file
    // LastModifiedBy for writes by developer keys without an `account` of their own: AWS writes
    // the account id there (PROTOCOL.md 5.10), and mobile clients store and show it.
    std::string account_id = "000000000000";
    double rate_limit = 0;                   // requests per second per identity; 0 = off
    double rate_limit_burst = 0;             // bucket size; 0 = same as rate_limit
    // The unsigned Cognito Identity operations (README "Limits"): GetId creates an identity per
    // call, GetCredentialsForIdentity mints credentials per call. Requests per second, and bucket
    // sizes; 0 = off.
    double get_id_rate_limit = 50, get_id_rate_limit_burst = 500;                  // per pool
    double get_id_address_rate_limit = 5, get_id_address_rate_limit_burst = 50;    // per client address
    double credentials_rate_limit = 1, credentials_rate_limit_burst = 10;          // per identity
    std::size_t max_url_bytes = 8192;        // request target (path + query)
    int64_t hook_max_attempts = 0;           // a sink delivery failing this often is a dead letter; 0 = no limit
    int64_t hook_max_retry_seconds = 86400;  // ... or failing this long; 0 = no limit
    std::size_t store_writers = 8;           // PostgreSQL: connections running write jobs
    std::size_t store_readers = 8;           // PostgreSQL: most connections reading at once
    int64_t sink_lease_ms = 5000;            // a sink's delivery lease unrenewed (nodes sharing a store)
    // Base of the URLs this server gives out (stream payloads beyond 1 MiB); empty: http:// and
    // the listen address (127.0.0.1 for a wildcard host) with the bound port.
    std::string public_url;
    int64_t stream_payload_ttl_seconds = 86400;  // how long such a URL works and its payload is kept
    std::string hooks_file;                  // sinks and Sync Trigger targets (config/hooks_config.hpp); empty = none
    std::optional<hooks_config> file_hooks;  // the config file's [sink.*] and [trigger.*] tables, in place of a hooks file
    std::string config_file;                 // the --config file read, if any (for messages)
    int64_t bulk_publish_interval_seconds = 86400;  // wait after a successful BulkPublish (PROTOCOL.md 7.5)
    // iss of the OpenID tokens this server signs; empty: the public URL (config/public_urls.hpp).
    std::string token_issuer;
    std::vector<declared_pool> pools;  // the config file's [pools."<region>:<uuid>"] tables
    std::vector<oidc_provider> oidc_providers;  // the config file's [oidc_providers."<login key>"] tables
};

}  // namespace cogsync::config
