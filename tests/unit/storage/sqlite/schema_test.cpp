#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "storage/sqlite/connections.hpp"
#include "storage/sqlite/schema.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

std::set<std::string> schema_objects(const std::string& path) {
    connection c(path, open_mode::read_only);
    auto q = c.prepare("SELECT name FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'");
    std::set<std::string> names;
    while (q->step()) names.insert(q->column_text(0));
    return names;
}

}  // namespace

TEST_CASE("opening a new file migrates it to the latest schema", "[schema]") {
    temp_dir dir;
    {
        sqlite_store store(sqlite_options(dir));
        CHECK(store.schema_version() == latest_schema_version());
        CHECK(std::filesystem::exists(dir.db() + "-wal"));
    }
    CHECK(schema_objects(dir.db()) == std::set<std::string>{"datasets", "records", "records_by_sync",
                                                             "used_sessions",
                                                             "pool_sessions", "pool_configs",
                                                             "pool_push_arns", "pool_events", "devices",
                                                             "subscriptions", "bulk_publish", "outbox",
                                                             "sink_cursors", "node_state", "parked_deliveries",
                                                             "parked_by_due", "dead_letter_totals",
                                                             "identity_pools", "identities", "identity_logins",
                                                             "identity_logins_by_identity", "identity_merges",
                                                             "minted_credentials", "minted_credentials_by_identity",
                                                             "minted_credentials_by_expiry", "stream_payloads",
                                                             "stream_payloads_by_expiry", "sink_leases"});
}

TEST_CASE("reopening is idempotent", "[schema]") {
    temp_dir dir;
    int first = 0;
    {
        sqlite_store store(sqlite_options(dir));
        first = store.schema_version();
    }
    for (int i = 0; i < 2; ++i) {
        sqlite_store store(sqlite_options(dir));
        CHECK(store.schema_version() == first);
    }
    connection c(dir.db(), open_mode::read_write);
    CHECK(migrate(c) == first);
    CHECK(read_schema_version(c) == first);
}

// The step that added datasets.tombstones and tombstone_bytes counts the tombstones already stored.
TEST_CASE("the tombstone tallies are filled in for datasets stored before them", "[schema]") {
    constexpr int before_tombstone_tallies = 3;
    temp_dir dir;
    const auto id = make_id();
    {
        sqlite_store store(sqlite_options(dir));
        store.write([&](write_view& v) {
            v.save_dataset(make_dataset(id, dataset_state::live, 3));
            v.save_dataset(make_dataset(make_id("empty")));
            v.put_records(id, {make_record("\xC3\xA9t\xC3\xA9", std::nullopt, 2), make_record("gone", std::nullopt, 3),
                               make_record("live", "v", 1)});
            return true;
        });
    }
    {
        connection c(dir.db(), open_mode::read_write);
        // Back to a version-3 file: undo every later step.
        c.exec("DROP TABLE parked_deliveries");
        c.exec("DROP TABLE dead_letter_totals");
        for (auto table : {"identity_pools", "identities", "identity_logins", "identity_merges", "minted_credentials",
                           "stream_payloads", "sink_leases"})
            c.exec(std::string("DROP TABLE ") + table);
        c.exec("ALTER TABLE datasets DROP COLUMN tombstones");
        c.exec("ALTER TABLE datasets DROP COLUMN tombstone_bytes");
        c.exec("PRAGMA user_version = " + std::to_string(before_tombstone_tallies));
    }
    sqlite_store store(sqlite_options(dir));
    auto d = store.read([&](read_view& v) { return v.load_dataset(id); });
    CHECK(store.schema_version() == latest_schema_version());
    CHECK(d.tombstones == 2);
    CHECK(d.tombstone_bytes == 5 + 4);
    CHECK(d.num_records == 0);  // the other tallies are left as they were
    CHECK(store.read([&](read_view& v) { return v.load_dataset(make_id("empty")); }).tombstones == 0);
}

// Step 9 moved spent sessions into expiry order: sessions spent before it stay spent, and the
// purge still finds the expired ones.
TEST_CASE("spent sessions stored before the expiry-ordered table stay spent", "[schema]") {
    constexpr int before_expiry_order = 8;
    temp_dir dir;
    { sqlite_store store(sqlite_options(dir)); }
    {
        connection c(dir.db(), open_mode::read_write);
        // Back to a version-8 file: the table keyed by session id, with its expiry index.
        c.exec("DROP TABLE used_sessions");
        c.exec("CREATE TABLE used_sessions(session_id TEXT PRIMARY KEY, expires_ms INTEGER NOT NULL)");
        c.exec("CREATE INDEX used_sessions_by_expiry ON used_sessions(expires_ms)");
        c.exec("INSERT INTO used_sessions VALUES('spent', 9000000000000), ('expired', 5)");
        c.exec("PRAGMA user_version = " + std::to_string(before_expiry_order));
    }
    sqlite_store store(sqlite_options(dir));
    CHECK(store.schema_version() == latest_schema_version());
    CHECK(store.read([](read_view& v) { return v.session_used({"spent", 9000000000000}); }));
    CHECK(store.read([](read_view& v) { return v.session_used({"expired", 5}); }));
    CHECK_FALSE(store.read([](read_view& v) { return v.session_used({"fresh", 9000000000000}); }));
    bool again = true;
    store.write([&](write_view& v) {
        again = v.spend_session({"spent", 9000000000000});
        return true;
    });
    CHECK_FALSE(again);
    CHECK(schema_objects(dir.db()).count("used_sessions_by_expiry") == 0);  // the old index went with its table
}

TEST_CASE("a file from a newer build is refused", "[schema]") {
    temp_dir dir;
    {
        connection c(dir.db(), open_mode::read_write);
        c.exec("PRAGMA user_version = " + std::to_string(latest_schema_version() + 1));
    }
    CHECK_THROWS_WITH(sqlite_store(sqlite_options(dir)), Catch::Contains("newer than this build"));
}

TEST_CASE("the writer runs in WAL mode with the requested synchronous level", "[schema]") {
    temp_dir dir;
    auto check = [&](durability d, int64_t expected) {
        auto opts = sqlite_options(dir, d);
        auto w = open_writer(opts);
        auto mode = w->prepare("PRAGMA journal_mode");
        REQUIRE(mode->step());
        CHECK(mode->column_text(0) == "wal");
        auto sync = w->prepare("PRAGMA synchronous");
        REQUIRE(sync->step());
        CHECK(sync->column_int(0) == expected);
        auto ckpt = w->prepare("PRAGMA wal_autocheckpoint");
        REQUIRE(ckpt->step());
        CHECK(ckpt->column_int(0) == 0);
    };
    check(durability::full, 2);
    check(durability::normal, 1);
}
