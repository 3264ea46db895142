#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "storage/sqlite/checkpointer.hpp"
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

namespace {

double metric(const sqlite_store& store, const std::string& family) {
    for (const auto& m : store.engine_metrics())
        if (m.family == family && m.suffix.empty()) return m.value;
    return -1;
}

}  // namespace

// With writes queued back to back, no batch ever begins with the whole WAL copied, so the WAL
// would only grow (a TRUNCATE needs the writer to pause); the writer rewinds it instead, and
// every write survives the rewinds.
TEST_CASE("under constant writes the writer rewinds the WAL", "[checkpoint]") {
    temp_dir dir;
    auto opts = sqlite_options(dir, durability::normal);
    opts.checkpoint_interval_ms = 5;
    opts.wal_rewind_bytes = 256 << 10;
    opts.wal_truncate_bytes = int64_t{1} << 40;  // never: only rewinds may bound the WAL here
    const auto id = make_id();
    const std::string value(2048, 'v');
    constexpr int chains = 8;
    std::atomic<bool> stop{false};
    std::atomic<int64_t> written{0};
    std::vector<std::promise<void>> ended(chains);
    {
        sqlite_store store(opts);
        must_write(store, [&](write_view& v) { v.save_dataset(make_dataset(id, dataset_state::live, 1)); });
        // Each chain submits its next write from the completion of the last, so the queue is never
        // empty while the test runs.
        std::function<void(int)> next = [&](int chain) {
            store.write_async(
                [&, chain](write_view& v) {
                    const int64_t n = ++written;
                    v.put_record(id, make_record("k" + std::to_string(chain), value + std::to_string(n), n));
                    return true;
                },
                [&, chain](bool kept, std::exception_ptr error) {
                    if (kept && !error && !stop) next(chain);
                    else ended[chain].set_value();
                });
        };
        for (int c = 0; c < chains; ++c) next(c);
        CHECK(eventually([&] { return metric(store, "cogsync_wal_rewinds_total") >= 3; }));
        stop = true;
        for (auto& e : ended) e.get_future().wait();
    }
    // Reopened, every chain's last write is there.
    sqlite_store reopened(opts);
    const auto records = reopened.read([&](read_view& v) { return v.records_page(id, {}); });
    CHECK(records.size() == chains);
    int64_t newest = 0;
    for (const auto& r : records) newest = std::max(newest, r.sync_count);
    CHECK(newest == written.load());
}

namespace {

// The nice value of this process's thread named `name` (/proc/self/task/*/stat field 19), or
// nullopt while there is none.
std::optional<int> thread_nice(const std::string& name) {
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string n;
        if (!std::getline(comm, n) || n != name) continue;
        std::ifstream stat(task.path() / "stat");
        std::string line;
        std::getline(stat, line);
        std::istringstream fields(line.substr(line.rfind(')') + 2));  // after "pid (comm) "
        std::string field;
        for (int i = 3; i <= 19 && fields >> field; ++i) {
        }
        return std::stoi(field);
    }
    return std::nullopt;
}

}  // namespace

TEST_CASE("the checkpointer thread runs at a lower priority than the writer", "[checkpoint]") {
    temp_dir dir;
    sqlite_store store(sqlite_options(dir));
    CHECK(eventually([] { return thread_nice("cogsync-ckpt") == checkpointer_nice; }));
    // Only that thread: the writer (which names itself when its thread starts) keeps nice 0.
    REQUIRE(eventually([] { return thread_nice("cogsync-writer").has_value(); }));
    CHECK(thread_nice("cogsync-writer") == 0);
}
