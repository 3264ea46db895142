#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

TEST_CASE("the checkpointer keeps the WAL bounded", "[checkpoint]") {
    temp_dir dir;
    auto opts = sqlite_options(dir, durability::normal);
    opts.checkpoint_interval_ms = 10;
    opts.wal_truncate_bytes = 256 << 10;
    sqlite_store store(opts);
    const auto id = make_id();
    const std::string big(1 << 20, 'v');
    for (int i = 1; i <= 4; ++i)
        must_write(store, [&](write_view& v) {
            v.save_dataset(make_dataset(id, dataset_state::live, i));
            v.put_record(id, make_record("k" + std::to_string(i), big, i));
        });
    const auto wal = dir.db() + "-wal";
    REQUIRE(std::filesystem::exists(wal));
    // Background work: poll for the outcome rather than timing it.
    CHECK(eventually([&] { return std::filesystem::file_size(wal) <= uintmax_t(opts.wal_truncate_bytes); }));
    CHECK(std::filesystem::file_size(dir.db()) > uintmax_t(4 << 20));  // the pages reached the file
    CHECK(store.read([&](read_view& v) { return v.find_record(id, "k4"); })->value == big);
}
