-- bench/floor.sh --schema clustered: the tables an UpdateRecords writes, copied from a cached
-- population (main) into the attached database `n` with datasets and records as WITHOUT ROWID
-- tables keyed (pool, identity, name) and (dataset, key): one b-tree each instead of a rowid
-- table and its unique index. Not the server's schema; cogsync_store_floor --schema clustered
-- runs on it.
PRAGMA n.journal_mode = WAL;
CREATE TABLE n.datasets(
    pool TEXT NOT NULL, identity TEXT NOT NULL, name TEXT NOT NULL, id INTEGER NOT NULL,
    state INTEGER NOT NULL, sync_count INTEGER NOT NULL, deleted_at INTEGER NOT NULL,
    creation_ms INTEGER NOT NULL, last_modified_ms INTEGER NOT NULL, last_modified_by TEXT NOT NULL,
    data_storage INTEGER NOT NULL, num_records INTEGER NOT NULL, tombstones INTEGER NOT NULL,
    tombstone_bytes INTEGER NOT NULL,
    PRIMARY KEY(pool, identity, name)) WITHOUT ROWID;
INSERT INTO n.datasets SELECT pool, identity, name, id, state, sync_count, deleted_at, creation_ms,
    last_modified_ms, last_modified_by, data_storage, num_records, tombstones, tombstone_bytes
    FROM main.datasets ORDER BY pool, identity, name;
CREATE TABLE n.records(
    dataset INTEGER NOT NULL, key TEXT NOT NULL, value TEXT, sync_count INTEGER NOT NULL,
    last_modified_ms INTEGER NOT NULL, last_modified_by TEXT NOT NULL,
    device_last_modified_ms INTEGER NOT NULL,
    PRIMARY KEY(dataset, key)) WITHOUT ROWID;
INSERT INTO n.records SELECT dataset, key, value, sync_count, last_modified_ms, last_modified_by,
    device_last_modified_ms FROM main.records ORDER BY dataset, key;
CREATE INDEX n.records_by_sync ON records(dataset, sync_count, key);
CREATE TABLE n.used_sessions(
    expires_ms INTEGER NOT NULL, session_id TEXT NOT NULL,
    PRIMARY KEY(expires_ms, session_id)) WITHOUT ROWID;
INSERT INTO n.used_sessions SELECT expires_ms, session_id FROM main.used_sessions
    ORDER BY expires_ms, session_id;
