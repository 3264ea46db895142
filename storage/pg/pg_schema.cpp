#include "storage/pg/pg_schema.hpp"

#include <iterator>

namespace cogsync::storage {
namespace {

// Step N (1-based) brings schema_version from N-1 to N. Shipped steps are never edited: a change
// is a new step appended here.
//
// The same tables as the embedded engine (storage/sqlite/schema.cpp), with two differences of
// representation. Record keys and values, and node-state values, are bytea: they may hold any
// byte (NUL included) and bytea compares byte by byte, the order records_by_key and the
// ListRecords cursor rely on. Every other name (pools, identities, datasets, sinks, devices) is
// text COLLATE "C", so that its order is the byte order SQLite's BINARY collation gives, whatever
// the database's default collation: pagination cursors compare the same way on both engines.
const char* const migrations[] = {
    // 1: datasets and records, session ids and counts, node state.
    R"sql(
CREATE TABLE datasets(
    id bigserial PRIMARY KEY,
    pool text COLLATE "C" NOT NULL,
    identity text COLLATE "C" NOT NULL,
    name text COLLATE "C" NOT NULL,
    state bigint NOT NULL,
    sync_count bigint NOT NULL,
    deleted_at bigint NOT NULL,
    creation_ms bigint NOT NULL,
    last_modified_ms bigint NOT NULL,
    last_modified_by text NOT NULL,
    data_storage bigint NOT NULL,
    num_records bigint NOT NULL,
    tombstones bigint NOT NULL,
    tombstone_bytes bigint NOT NULL,
    UNIQUE(pool, identity, name)
);
CREATE TABLE records(
    dataset bigint NOT NULL REFERENCES datasets(id),
    key bytea NOT NULL,
    value bytea,
    sync_count bigint NOT NULL,
    last_modified_ms bigint NOT NULL,
    last_modified_by text NOT NULL,
    device_last_modified_ms bigint NOT NULL,
    PRIMARY KEY(dataset, key)
);
CREATE INDEX records_by_sync ON records(dataset, sync_count, key);
CREATE TABLE used_sessions(
    session_id text COLLATE "C" PRIMARY KEY,
    expires_ms bigint NOT NULL
);
CREATE INDEX used_sessions_by_expiry ON used_sessions(expires_ms);
CREATE TABLE pool_sessions(
    pool text COLLATE "C" PRIMARY KEY,
    sessions bigint NOT NULL
);
CREATE TABLE node_state(
    name text COLLATE "C" PRIMARY KEY,
    value bytea NOT NULL
);
)sql",
    // 2: push sync, Cognito Streams, Cognito Events, the outbox, sink cursors and parked
    // deliveries (PROTOCOL.md 7). outbox.id comes from a sequence taken under the outbox lock
    // (pg_view_hooks.cpp), so ids commit in order and are never reused.
    R"sql(
CREATE TABLE pool_configs(
    pool text COLLATE "C" PRIMARY KEY,
    push_set bigint NOT NULL,
    push_role_arn text NOT NULL,
    streams_set bigint NOT NULL,
    stream_name text NOT NULL,
    stream_role_arn text NOT NULL,
    streaming_status text NOT NULL
);
CREATE TABLE pool_push_arns(
    pool text COLLATE "C" NOT NULL,
    position bigint NOT NULL,
    arn text NOT NULL,
    PRIMARY KEY(pool, position)
);
CREATE TABLE pool_events(
    pool text COLLATE "C" NOT NULL,
    event text COLLATE "C" NOT NULL,
    target text NOT NULL,
    PRIMARY KEY(pool, event)
);
CREATE TABLE devices(
    device_id text COLLATE "C" PRIMARY KEY,
    pool text COLLATE "C" NOT NULL,
    identity text COLLATE "C" NOT NULL,
    platform text COLLATE "C" NOT NULL,
    token text COLLATE "C" NOT NULL,
    UNIQUE(pool, identity, platform, token)
);
CREATE INDEX devices_in_order ON devices(pool, identity, device_id);
CREATE TABLE subscriptions(
    pool text COLLATE "C" NOT NULL,
    identity text COLLATE "C" NOT NULL,
    dataset text COLLATE "C" NOT NULL,
    device_id text COLLATE "C" NOT NULL,
    PRIMARY KEY(pool, identity, dataset, device_id)
);
CREATE TABLE bulk_publish(
    pool text COLLATE "C" PRIMARY KEY,
    status text NOT NULL,
    start_ms bigint NOT NULL,
    complete_ms bigint NOT NULL,
    failure text NOT NULL
);
CREATE TABLE outbox(
    id bigint PRIMARY KEY,
    pool text NOT NULL,
    identity text NOT NULL,
    dataset text NOT NULL,
    kind text NOT NULL,
    payload text NOT NULL,
    created_ms bigint NOT NULL
);
CREATE SEQUENCE outbox_ids;
CREATE TABLE sink_cursors(
    sink text COLLATE "C" PRIMARY KEY,
    last_id bigint NOT NULL
);
CREATE TABLE parked_deliveries(
    id bigserial PRIMARY KEY,
    sink text COLLATE "C" NOT NULL,
    event_id bigint NOT NULL,
    target text COLLATE "C" NOT NULL,
    pool text NOT NULL,
    identity text NOT NULL,
    dataset text NOT NULL,
    kind text NOT NULL,
    payload text NOT NULL,
    created_ms bigint NOT NULL,
    dead bigint NOT NULL,
    attempts bigint NOT NULL,
    first_failed_ms bigint NOT NULL,
    next_ms bigint NOT NULL,
    reason text NOT NULL,
    UNIQUE(sink, event_id, target)
);
CREATE INDEX parked_by_due ON parked_deliveries(sink, dead, next_ms);
CREATE TABLE dead_letter_totals(
    sink text COLLATE "C" PRIMARY KEY,
    total bigint NOT NULL
);
)sql",
    // 3: the Cognito Identity endpoint (api/identity/); see storage/sqlite/schema.cpp step 6.
    R"sql(
CREATE TABLE identity_pools(
    id text COLLATE "C" PRIMARY KEY,
    name text NOT NULL,
    allow_unauthenticated bigint NOT NULL,
    allow_classic_flow bigint NOT NULL,
    developer_provider_name text COLLATE "C" UNIQUE,
    description text NOT NULL,
    roles text NOT NULL,
    created_ms bigint NOT NULL
);
CREATE TABLE identities(
    pool text COLLATE "C" NOT NULL,
    identity_id text COLLATE "C" NOT NULL UNIQUE,
    created_ms bigint NOT NULL,
    last_modified_ms bigint NOT NULL,
    PRIMARY KEY(pool, identity_id)
);
CREATE TABLE identity_logins(
    pool text COLLATE "C" NOT NULL,
    provider text COLLATE "C" NOT NULL,
    subject text COLLATE "C" NOT NULL,
    identity_id text COLLATE "C" NOT NULL,
    PRIMARY KEY(pool, provider, subject)
);
CREATE INDEX identity_logins_by_identity ON identity_logins(pool, identity_id);
CREATE TABLE identity_merges(
    pool text COLLATE "C" NOT NULL,
    destination_identity text COLLATE "C" NOT NULL,
    source_identity text COLLATE "C" NOT NULL,
    PRIMARY KEY(pool, destination_identity, source_identity)
);
CREATE TABLE minted_credentials(
    access_key text COLLATE "C" PRIMARY KEY,
    secret text NOT NULL,
    session_token text NOT NULL,
    pool text COLLATE "C" NOT NULL,
    identity_id text COLLATE "C" NOT NULL,
    expires_ms bigint NOT NULL
);
CREATE INDEX minted_credentials_by_identity ON minted_credentials(pool, identity_id);
CREATE INDEX minted_credentials_by_expiry ON minted_credentials(expires_ms);
)sql",
    // 4: stream payloads; see storage/sqlite/schema.cpp step 7.
    R"sql(
CREATE TABLE stream_payloads(
    id text COLLATE "C" PRIMARY KEY,
    expires_s bigint NOT NULL,
    body text NOT NULL
);
CREATE INDEX stream_payloads_by_expiry ON stream_payloads(expires_s);
)sql",
    // 5: sink delivery leases; see storage/sqlite/schema.cpp step 8.
    R"sql(
CREATE TABLE sink_leases(
    sink text COLLATE "C" PRIMARY KEY,
    holder text COLLATE "C" NOT NULL,
    expires_ms bigint NOT NULL
);
)sql",
};

// Any fixed number: the session-level lock every starting node takes around its migration.
constexpr const char* migration_lock = "SELECT pg_advisory_lock(hashtextextended('cogsync.migrate', 0))";
constexpr const char* migration_unlock = "SELECT pg_advisory_unlock(hashtextextended('cogsync.migrate', 0))";

int read_version(pg_connection& c) {
    c.run("CREATE TABLE IF NOT EXISTS schema_version(version bigint NOT NULL)");
    auto rows = c.exec("SELECT max(version) FROM schema_version");
    return static_cast<int>(rows.integer(0, 0));
}

int migrate_locked(pg_connection& c) {
    int version = read_version(c);
    if (version > pg_latest_schema_version())
        throw storage_error("database schema version " + std::to_string(version) + " is newer than this build (" +
                            std::to_string(pg_latest_schema_version()) + ")");
    for (; version < pg_latest_schema_version(); ++version) {
        c.run("BEGIN");
        try {
            c.run(migrations[version]);
            c.exec("INSERT INTO schema_version(version) VALUES($1::bigint)", int64_t{version + 1});
            c.run("COMMIT");
        } catch (...) {
            if (c.usable() && c.in_transaction()) c.run("ROLLBACK");
            throw;
        }
    }
    return version;
}

}  // namespace

int pg_latest_schema_version() { return static_cast<int>(std::size(migrations)); }

int pg_migrate(pg_connection& c) {
    c.run(migration_lock);
    try {
        const int version = migrate_locked(c);
        c.run(migration_unlock);
        return version;
    } catch (...) {
        if (c.usable()) c.run(migration_unlock);
        throw;
    }
}

}  // namespace cogsync::storage
