// What the SQLite engine does beyond the store contract (tests/unit/storage/contract/).
#include <catch2/catch.hpp>

#include <future>
#include <memory>
#include <stdexcept>
#include <vector>

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

TEST_CASE("start_listing reads the guessed page along, as records_page would answer it", "[sqlite_store]") {
    temp_dir dir;
    sqlite_store store(sqlite_options(dir));
    const auto id = make_id();
    must_write(store, [&](write_view& v) {
        v.save_dataset(make_dataset(id, dataset_state::live, 4));
        v.put_records(id, {make_record("a", "1", 1), make_record("b", std::nullopt, 2), make_record("c", "3", 2),
                           make_record("d", "4", 4)});
        v.save_dataset(make_dataset(make_id("gone"), dataset_state::deleted, 5));
    });
    auto keys = [](const std::vector<record>& rs) {
        std::string out;
        for (const auto& r : rs) out += r.key;
        return out;
    };
    std::vector<record_page_query> guesses(5);
    guesses[1].after_sync_count = 1;
    guesses[2].limit = 2;
    guesses[3].after = record_cursor{2, "b"};
    guesses[3].after_sync_count = 1;
    guesses[4].max_sync_count = 2;
    const std::vector<std::string> expected{"abcd", "bcd", "ab", "cd", "abc"};
    for (std::size_t i = 0; i < guesses.size(); ++i) {
        auto [start, page] = store.read([&](read_view& v) {
            return std::pair(v.start_listing(id, std::nullopt, guesses[i]), v.records_page(id, guesses[i]));
        });
        REQUIRE(start.page);
        CHECK(keys(*start.page) == expected[i]);
        CHECK(keys(page) == expected[i]);
        CHECK(start.current.sync_count == 4);
    }
    // A dataset that is not live has no page to read along; the caller asks when it must.
    auto gone = store.read([&](read_view& v) { return v.start_listing(make_id("gone"), std::nullopt, {}); });
    CHECK(gone.current.state == dataset_state::deleted);
    CHECK_FALSE(gone.page);
    // Nor has a guess at or above the dataset's count (a device polling an unchanged dataset), or
    // one whose upper bound is at its lower one: no record the caller may use can be there.
    record_page_query unchanged, closed;
    unchanged.after_sync_count = 4;
    closed.after_sync_count = 2;
    closed.max_sync_count = 2;
    for (const auto& guess : {unchanged, closed}) {
        auto start = store.read([&](read_view& v) { return v.start_listing(id, std::nullopt, guess); });
        CHECK(start.current.sync_count == 4);
        CHECK_FALSE(start.page);
    }
}

namespace {

int64_t sync_count_of(sqlite_store& store, const dataset_id& id) {
    return store.read([&](read_view& v) { return v.load_dataset(id).sync_count; });
}

}  // namespace

// The snapshot a sharing thread keeps is begun again once the writer committed: a read always
// sees every write acknowledged before it. Reusing the kept snapshot regardless fails this.
TEST_CASE("a shared read snapshot is not reused once a write committed", "[sqlite_store]") {
    temp_dir dir;
    sqlite_store store(sqlite_options(dir));
    const auto id = make_id();
    store.share_read_snapshots();
    CHECK(sync_count_of(store, id) == 0);
    must_write(store, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 1)); });
    CHECK(sync_count_of(store, id) == 1);
    must_write(store, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 2)); });
    CHECK(sync_count_of(store, id) == 2);
    store.release_read_snapshot();
}

// Another store over the same file stands for another process: its commits are not counted.
// Without sharing, each read ends its snapshot and sees them at once. With sharing, the kept
// snapshot is reused (which shows that reads do share it) until release_read_snapshot() ends it;
// without the release the writes of other processes would stay hidden for ever.
TEST_CASE("a shared read snapshot is kept from one read to the next until released", "[sqlite_store]") {
    temp_dir dir;
    sqlite_store store(sqlite_options(dir));
    sqlite_store other(sqlite_options(dir));
    const auto id = make_id();
    CHECK(sync_count_of(store, id) == 0);
    must_write(other, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 1)); });
    CHECK(sync_count_of(store, id) == 1);

    store.share_read_snapshots();
    CHECK(sync_count_of(store, id) == 1);
    must_write(other, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 2)); });
    CHECK(sync_count_of(store, id) == 1);
    store.release_read_snapshot();
    CHECK(sync_count_of(store, id) == 2);
    store.release_read_snapshot();
}

TEST_CASE("a shared snapshot survives a failed read and nested reads", "[sqlite_store]") {
    temp_dir dir;
    sqlite_store store(sqlite_options(dir));
    const auto id = make_id();
    must_write(store, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 1)); });
    store.share_read_snapshots();
    CHECK_THROWS_AS(store.read([&](read_view& v) -> int {
        v.load_dataset(id);
        throw std::runtime_error("refused");
    }),
                    std::runtime_error);
    CHECK(store.read([&](read_view& v) {
        return v.load_dataset(id).sync_count + store.read([&](read_view& inner) { return inner.load_dataset(id).sync_count; });
    }) == 2);
    must_write(store, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 3)); });
    CHECK(sync_count_of(store, id) == 3);
    store.release_read_snapshot();
}

// A thread remembers its connections of a few stores at a time; beyond that it finds them through
// each store's own map, and a store destroyed in any order forgets only its own.
TEST_CASE("one thread reads from more stores than it remembers at once", "[sqlite_store]") {
    std::vector<temp_dir> dirs(12);
    std::vector<std::unique_ptr<sqlite_store>> stores;
    const auto id = make_id();
    for (std::size_t i = 0; i < dirs.size(); ++i) {
        stores.push_back(std::make_unique<sqlite_store>(sqlite_options(dirs[i])));
        must_write(*stores[i], [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, int64_t(i) + 1)); });
    }
    for (int round = 0; round < 2; ++round)
        for (std::size_t i = 0; i < stores.size(); ++i) CHECK(sync_count_of(*stores[i], id) == int64_t(i) + 1);
    stores[3].reset();
    stores[0].reset();
    for (std::size_t i = 1; i < stores.size(); ++i)
        if (stores[i]) CHECK(sync_count_of(*stores[i], id) == int64_t(i) + 1);
}
