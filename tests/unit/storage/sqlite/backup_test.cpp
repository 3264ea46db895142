// The online backup (storage/sqlite/backup.hpp): one consistent snapshot while writes go on, a
// self-contained file that opens as a store, and never an overwritten file.
#include <catch2/catch.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <thread>

#include "storage/sqlite/backup.hpp"
#include "storage/sqlite/sqlite.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

// Both datasets get the same count in every write, so any snapshot has them equal.
void write_pair(record_store& store, int64_t count) {
    must_write(store, [&](write_view& v) {
        v.save_dataset(make_dataset(make_id("a"), dataset_state::live, count));
        v.save_dataset(make_dataset(make_id("b"), dataset_state::live, count));
    });
}

int64_t count_of(record_store& store, const std::string& name) {
    return store.read([&](read_view& v) { return v.load_dataset(make_id(name)).sync_count; });
}

}  // namespace

TEST_CASE("a backup taken while writes go on is one snapshot, and opens as a store", "[backup]") {
    temp_dir live, restored;
    int64_t copied_at_least = 0;
    {
        sqlite_store store(sqlite_options(live));
        write_pair(store, 1);
        std::atomic<bool> stop{false};
        std::atomic<int64_t> committed{1};
        std::thread writer([&] {
            for (int64_t n = 2; !stop; ++n) {
                write_pair(store, n);
                committed = n;
            }
        });
        while (committed < 50) std::this_thread::yield();
        copied_at_least = committed;
        const auto r = backup_database(live.db(), restored.db());
        stop = true;
        writer.join();
        CHECK(r.pages > 0);
        CHECK(r.bytes == static_cast<int64_t>(std::filesystem::file_size(restored.db())));
        CHECK(r.schema_version == store.schema_version());
    }
    // A self-contained file: nothing beside it, rollback journal until a store opens it.
    CHECK_FALSE(std::filesystem::exists(restored.db() + "-wal"));
    CHECK_FALSE(std::filesystem::exists(restored.db() + ".partial"));
    sqlite_store copy(sqlite_options(restored));
    const auto a = count_of(copy, "a");
    CHECK(a >= copied_at_least);
    CHECK(count_of(copy, "b") == a);
}

TEST_CASE("a backup never overwrites a file, and needs a store to copy", "[backup]") {
    temp_dir live, other;
    {
        sqlite_store store(sqlite_options(live));
        write_pair(store, 1);
    }
    const std::string dest = (other.path() / "taken").string();
    { std::ofstream(dest) << "precious"; }
    CHECK_THROWS_WITH(backup_database(live.db(), dest), Catch::Contains("already exists"));
    std::string kept;
    std::ifstream(dest) >> kept;
    CHECK(kept == "precious");

    CHECK_THROWS_WITH(backup_database((other.path() / "nothing.db").string(), (other.path() / "copy").string()),
                      Catch::Contains("no store"));
    const std::string not_store = (other.path() / "plain.db").string();
    {
        connection c(not_store, open_mode::read_write);
        c.exec("CREATE TABLE t(x)");
    }
    CHECK_THROWS_WITH(backup_database(not_store, (other.path() / "copy").string()), Catch::Contains("not a cogsync store"));
    CHECK_FALSE(std::filesystem::exists((other.path() / "copy").string()));
    CHECK_FALSE(std::filesystem::exists((other.path() / "copy.partial").string()));
}
