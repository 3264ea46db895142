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
                                                             "used_sessions", "used_sessions_by_expiry",
                                                             "pool_sessions", "pool_configs",
                                                             "pool_push_arns", "pool_events", "devices",
                                                             "subscriptions", "bulk_publish", "outbox",
                                                             "sink_cursors", "node_state", "parked_deliveries",
                                                             "parked_by_due", "dead_letter_totals"});
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
