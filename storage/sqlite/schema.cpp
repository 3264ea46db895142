#include "storage/sqlite/schema.hpp"

#include <iterator>

namespace cogsync::storage {
namespace {

// Step N (1-based) brings user_version from N-1 to N. Shipped steps are never edited: a change to
// the schema is a new step appended here.
//
// datasets.id is a stable rowid (save_dataset upserts, never replaces) so records can refer to it
// instead of repeating pool/identity/name. records_by_sync serves records_page's
// (sync_count, key) order. Keys and values are TEXT with BINARY collation: byte-wise order.
const char* const migrations[] = {
    R"sql(
CREATE TABLE datasets(
    id INTEGER PRIMARY KEY,
    pool TEXT NOT NULL,
    identity TEXT NOT NULL,
    name TEXT NOT NULL,
    state INTEGER NOT NULL,
    sync_count INTEGER NOT NULL,
    deleted_at INTEGER NOT NULL,
    creation_ms INTEGER NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    last_modified_by TEXT NOT NULL,
    data_storage INTEGER NOT NULL,
    num_records INTEGER NOT NULL,
    UNIQUE(pool, identity, name)
);
CREATE TABLE records(
    dataset INTEGER NOT NULL REFERENCES datasets(id),
    key TEXT NOT NULL,
    value TEXT,
    sync_count INTEGER NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    last_modified_by TEXT NOT NULL,
    device_last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY(dataset, key)
);
CREATE INDEX records_by_sync ON records(dataset, sync_count, key);
CREATE TABLE used_sessions(
    session_id TEXT PRIMARY KEY,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX used_sessions_by_expiry ON used_sessions(expires_ms);
CREATE TABLE pool_sessions(
    pool TEXT PRIMARY KEY,
    sessions INTEGER NOT NULL
);
)sql",
    // Step 2: push sync, Cognito Streams, Cognito Events and the outbox (PROTOCOL.md 7).
    // A pool's configuration is one row plus its ordered ApplicationArns and its Events; a
    // sub-structure that was never set has *_set = 0 (GetIdentityPoolConfiguration omits it).
    // Subscriptions name the dataset, not datasets.id: they outlive DeleteDataset, as AWS keeps
    // them per dataset name. outbox.id is AUTOINCREMENT so that an id is never reused after
    // trim_outbox, and sink cursors stay meaningful.
    R"sql(
CREATE TABLE pool_configs(
    pool TEXT PRIMARY KEY,
    push_set INTEGER NOT NULL,
    push_role_arn TEXT NOT NULL,
    streams_set INTEGER NOT NULL,
    stream_name TEXT NOT NULL,
    stream_role_arn TEXT NOT NULL,
    streaming_status TEXT NOT NULL
);
CREATE TABLE pool_push_arns(
    pool TEXT NOT NULL,
    position INTEGER NOT NULL,
    arn TEXT NOT NULL,
    PRIMARY KEY(pool, position)
);
CREATE TABLE pool_events(
    pool TEXT NOT NULL,
    event TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY(pool, event)
);
CREATE TABLE devices(
    device_id TEXT PRIMARY KEY,
    pool TEXT NOT NULL,
    identity TEXT NOT NULL,
    platform TEXT NOT NULL,
    token TEXT NOT NULL,
    UNIQUE(pool, identity, platform, token)
);
CREATE TABLE subscriptions(
    pool TEXT NOT NULL,
    identity TEXT NOT NULL,
    dataset TEXT NOT NULL,
    device_id TEXT NOT NULL,
    PRIMARY KEY(pool, identity, dataset, device_id)
);
CREATE TABLE bulk_publish(
    pool TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    start_ms INTEGER NOT NULL,
    complete_ms INTEGER NOT NULL,
    failure TEXT NOT NULL
);
CREATE TABLE outbox(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    pool TEXT NOT NULL,
    identity TEXT NOT NULL,
    dataset TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE sink_cursors(
    sink TEXT PRIMARY KEY,
    last_id INTEGER NOT NULL
);
)sql",
    // 3: node state shared by every node on this store (the token key).
    R"sql(
CREATE TABLE node_state(
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
)sql",
    // 4: each dataset counts its tombstones and their key bytes, which the limits bound; existing
    // tombstones are counted once here.
    R"sql(
ALTER TABLE datasets ADD COLUMN tombstones INTEGER NOT NULL DEFAULT 0;
ALTER TABLE datasets ADD COLUMN tombstone_bytes INTEGER NOT NULL DEFAULT 0;
UPDATE datasets SET
    tombstones = (SELECT count(*) FROM records WHERE records.dataset = datasets.id AND value IS NULL),
    tombstone_bytes = (SELECT coalesce(sum(length(CAST(key AS BLOB))), 0) FROM records
                       WHERE records.dataset = datasets.id AND value IS NULL);
)sql",
    // 5: deliveries a sink set aside (push retries per device, dead letters), each with a copy of
    // its outbox event since the outbox is trimmed past them; one row per (sink, event, target).
    // parked_by_due serves the sink's due retries and the count of its dead letters;
    // dead_letter_totals is the per-sink counter of dead letters ever recorded.
    R"sql(
CREATE TABLE parked_deliveries(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sink TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    target TEXT NOT NULL,
    pool TEXT NOT NULL,
    identity TEXT NOT NULL,
    dataset TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    created_ms INTEGER NOT NULL,
    dead INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    first_failed_ms INTEGER NOT NULL,
    next_ms INTEGER NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE(sink, event_id, target)
);
CREATE INDEX parked_by_due ON parked_deliveries(sink, dead, next_ms);
CREATE TABLE dead_letter_totals(
    sink TEXT PRIMARY KEY,
    total INTEGER NOT NULL
);
)sql",
    // 6: the Cognito Identity endpoint (api/identity/). A pool's description beyond the columns the
    // store reads is opaque text the api layer writes. developer_provider_name is NULL when unset
    // and unique when set. Identity ids are unique across pools (DescribeIdentity names no pool).
    // Deleting a pool or an identity deletes its rows here (sql_view_identity.cpp), never its
    // sync datasets.
    R"sql(
CREATE TABLE identity_pools(
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    allow_unauthenticated INTEGER NOT NULL,
    allow_classic_flow INTEGER NOT NULL,
    developer_provider_name TEXT UNIQUE,
    description TEXT NOT NULL,
    roles TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE identities(
    pool TEXT NOT NULL,
    identity_id TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY(pool, identity_id)
);
CREATE TABLE identity_logins(
    pool TEXT NOT NULL,
    provider TEXT NOT NULL,
    subject TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    PRIMARY KEY(pool, provider, subject)
);
CREATE INDEX identity_logins_by_identity ON identity_logins(pool, identity_id);
CREATE TABLE identity_merges(
    pool TEXT NOT NULL,
    destination_identity TEXT NOT NULL,
    source_identity TEXT NOT NULL,
    PRIMARY KEY(pool, destination_identity, source_identity)
);
CREATE TABLE minted_credentials(
    access_key TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    session_token TEXT NOT NULL,
    pool TEXT NOT NULL,
    identity_id TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE INDEX minted_credentials_by_identity ON minted_credentials(pool, identity_id);
CREATE INDEX minted_credentials_by_expiry ON minted_credentials(expires_ms);
)sql",
    // 7: stream payloads beyond Kinesis's record limit (api/stream_payloads.hpp), kept in the
    // store rather than in files beside it, so that on a shared store every node serves them.
    R"sql(
CREATE TABLE stream_payloads(
    id TEXT PRIMARY KEY,
    expires_s INTEGER NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX stream_payloads_by_expiry ON stream_payloads(expires_s);
)sql",
    // 8: sink delivery leases (server/hooks/outbox_deliverer.hpp): one node at a time delivers
    // each sink, whichever nodes share the store.
    R"sql(
CREATE TABLE sink_leases(
    sink TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
);
)sql",
    // 9: spent sessions in expiry order, one b-tree: every UpdateRecords spends a session, and
    // keyed by its random id the spend dirtied a page of the id index at random (plus the rowid
    // table and the expiry index). Expiries grow with time, so a batch's spends share the last
    // page and the purge cuts the front. A token seals its expiry with its id (session_key).
    R"sql(
CREATE TABLE used_sessions_next(
    expires_ms INTEGER NOT NULL,
    session_id TEXT NOT NULL,
    PRIMARY KEY(expires_ms, session_id)
) WITHOUT ROWID;
INSERT INTO used_sessions_next(expires_ms, session_id) SELECT expires_ms, session_id FROM used_sessions;
DROP TABLE used_sessions;
ALTER TABLE used_sessions_next RENAME TO used_sessions;
)sql",
};

}  // namespace

int latest_schema_version() { return static_cast<int>(std::size(migrations)); }

int read_schema_version(connection& c) {
    auto q = c.prepare("PRAGMA user_version");
    return q->step() ? static_cast<int>(q->column_int(0)) : 0;
}

int migrate(connection& writer) {
    int version = read_schema_version(writer);
    if (version > latest_schema_version())
        throw storage_error("database schema version " + std::to_string(version) +
                            " is newer than this build (" + std::to_string(latest_schema_version()) + ")");
    for (; version < latest_schema_version(); ++version) {
        writer.exec("BEGIN IMMEDIATE");
        try {
            writer.exec(migrations[version]);
            writer.exec("PRAGMA user_version = " + std::to_string(version + 1));
            writer.exec("COMMIT");
        } catch (...) {
            try {
                if (writer.in_transaction()) writer.exec("ROLLBACK");
            } catch (const storage_error&) {
                // the step's own error is the one worth reporting
            }
            throw;
        }
    }
    return version;
}

}  // namespace cogsync::storage
