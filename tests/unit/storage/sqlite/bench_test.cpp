// Write throughput, run by hand: unit_storage "[.bench]". Prints figures; asserts nothing about time.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <future>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "storage/sqlite/checkpointer.hpp"
#include "storage/sqlite/connections.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/writer.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

// A small UpdateRecords-like job: read the dataset, bump it, write one record.
bool small_write(write_view& v, const dataset_id& id) {
    auto d = v.load_dataset(id);
    d.state = dataset_state::live;
    d.sync_count += 1;
    v.save_dataset(d);
    v.put_record(id, make_record("k" + std::to_string(d.sync_count % 16), "value", d.sync_count));
    return true;
}

template <class Submit>
double writes_per_second(int threads, int each, Submit submit) {
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back([&, t] {
            const auto id = make_id("bench", "us-east-1:" + std::to_string(t));
            for (int i = 0; i < each; ++i) submit([&](write_view& v) { return small_write(v, id); });
        });
    for (auto& th : pool) th.join();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    return threads * each / took.count();
}

void bench(durability sync, const char* label, int threads, int each) {
    {
        temp_dir dir;
        auto conn = open_writer(sqlite_options(dir, sync));
        migrate(*conn);
        std::atomic<bool> rewind_due{false};
        checkpointer background(sqlite_options(dir, sync), rewind_due);  // as in record_store: the WAL is reused
        writer w(*conn, {.rewind_due = &rewind_due});
        const double rate = writes_per_second(threads, each, [&](const writer::job_fn& fn) {
            std::promise<void> done;
            w.submit(fn, [&done](bool, std::exception_ptr) { done.set_value(); });
            done.get_future().wait();
        });
        const auto s = w.stats();
        std::printf("writer %-6s %3d threads: %8.0f writes/s, %llu batches, mean batch %.1f, largest %llu,"
                    " WAL %.1f MB\n",
                    label, threads, rate, static_cast<unsigned long long>(s.batches),
                    double(s.jobs) / double(s.batches), static_cast<unsigned long long>(s.largest_batch),
                    double(std::filesystem::file_size(dir.db() + "-wal")) / (1 << 20));
    }
    {
        temp_dir dir;
        sqlite_store store(sqlite_options(dir, sync));
        const double rate = writes_per_second(threads, each, [&](const writer::job_fn& fn) { store.write(fn); });
        std::printf("store  %-6s %3d threads: %8.0f writes/s\n", label, threads, rate);
    }
}

}  // namespace

TEST_CASE("write throughput", "[.bench]") {
    for (int threads : {1, 16, 64, 256}) {
        const int each = threads == 1 ? 2000 : 40000 / threads;
        bench(durability::full, "full", threads, each);
        bench(durability::normal, "normal", threads, each);
    }
}
