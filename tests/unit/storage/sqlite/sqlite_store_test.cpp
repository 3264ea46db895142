// What the SQLite engine does beyond the store contract (tests/unit/storage/contract/).
#include <catch2/catch.hpp>

#include <future>
#include <stdexcept>

#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

TEST_CASE("write() inside a write job is refused instead of deadlocking", "[sqlite_store]") {
    temp_dir dir;
    sqlite_store store(sqlite_options(dir));
    CHECK_THROWS_AS(store.write([&](write_view&) { return store.write([](write_view&) { return true; }); }),
                    std::logic_error);
}

TEST_CASE("write() inside a completion is refused instead of deadlocking", "[sqlite_store]") {
    temp_dir dir;
    sqlite_store store(sqlite_options(dir));
    std::promise<bool> refused;
    store.write_async([](write_view&) { return true; }, [&](bool, std::exception_ptr) {
        try {
            store.write([](write_view&) { return true; });
            refused.set_value(false);
        } catch (const std::logic_error&) {
            refused.set_value(true);
        }
    });
    CHECK(refused.get_future().get());
}

TEST_CASE("a file written with durability full opens with durability normal", "[sqlite_store]") {
    temp_dir dir;
    const auto id = make_id();
    {
        sqlite_store store(sqlite_options(dir, durability::full));
        must_write(store, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 3)); });
    }
    sqlite_store store(sqlite_options(dir, durability::normal));
    CHECK(store.read([&](read_view& v) { return v.load_dataset(id).sync_count; }) == 3);
}
