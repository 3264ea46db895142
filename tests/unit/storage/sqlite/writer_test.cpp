#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <future>
#include <latch>

#include "storage/sqlite/connections.hpp"
#include "storage/sqlite/schema.hpp"
#include "storage/sqlite/writer.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

// submit() and wait for the job's completion, as the store's blocking write() does.
bool submit_wait(writer& w, writer::job_fn fn) {
    std::promise<bool> result;
    auto outcome = result.get_future();
    w.submit(std::move(fn), [&result](bool kept, std::exception_ptr error) {
        if (error) result.set_exception(error);
        else result.set_value(kept);
    });
    return outcome.get();
}

// A writer over a fresh file, plus a way to hold its thread inside a job so that the next jobs
// pile up in the queue and are taken as one batch.
struct writer_fixture {
    temp_dir dir;
    std::unique_ptr<connection> conn = open_writer(sqlite_options(dir));
    int version = migrate(*conn);
    std::latch started{1}, release{1};

    std::future<bool> hold(writer& w) {
        return std::async(std::launch::async, [&] {
            return submit_wait(w, [&](write_view&) {
                started.count_down();
                release.wait();
                return true;
            });
        });
    }
    static void wait_queued(writer& w, std::size_t n) {
        REQUIRE(eventually([&] { return w.queued() >= n; }));
        REQUIRE(w.queued() == n);
    }
    dataset_state state_of(const std::string& name) {
        connection r(dir.db(), open_mode::read_only);
        return sql_view(r).load_dataset(make_id(name)).state;
    }
};

}  // namespace

TEST_CASE_METHOD(writer_fixture, "one batch: good jobs commit, failing jobs fail alone", "[writer]") {
    std::vector<std::future<bool>> results;
    {
        writer w(*conn, {});
        auto held = hold(w);
        started.wait();
        for (int i = 0; i < 10; ++i) {
            results.push_back(std::async(std::launch::async, [&w, i] {
                return submit_wait(w, [i](write_view& v) {
                    v.save_dataset(make_dataset(make_id("d" + std::to_string(i))));
                    if (i == 4) throw std::runtime_error("job 4");
                    if (i == 6) v.put_record(make_id("missing"), make_record("k", "v", 1));
                    return i != 7;
                });
            }));
        }
        wait_queued(w, 10);
        release.count_down();
        CHECK(held.get());
        for (int i = 0; i < 10; ++i) {
            if (i == 4)
                CHECK_THROWS_WITH(results[i].get(), "job 4");
            else if (i == 6)
                CHECK_THROWS_AS(results[i].get(), storage_error);
            else
                CHECK(results[i].get() == (i != 7));
        }
        CHECK(w.stats().largest_batch == 10);
        CHECK(w.stats().batches == 2);
        CHECK(w.stats().jobs == 11);
    }
    for (int i = 0; i < 10; ++i) {
        const bool kept = i != 4 && i != 6 && i != 7;
        CHECK(state_of("d" + std::to_string(i)) == (kept ? dataset_state::live : dataset_state::absent));
    }
}

TEST_CASE_METHOD(writer_fixture, "batches respect max_batch", "[writer]") {
    writer w(*conn, {.max_batch = 3});
    auto held = hold(w);
    started.wait();
    std::vector<std::future<bool>> results;
    for (int i = 0; i < 7; ++i)
        results.push_back(std::async(std::launch::async, [&w] { return submit_wait(w, [](write_view&) { return true; }); }));
    wait_queued(w, 7);
    release.count_down();
    held.get();
    for (auto& r : results) CHECK(r.get());
    CHECK(w.stats().largest_batch == 3);
    CHECK(w.stats().batches == 4);  // the held job, then 3 + 3 + 1
}

TEST_CASE_METHOD(writer_fixture, "the destructor runs queued jobs before stopping", "[writer]") {
    std::vector<std::future<bool>> results;
    std::future<bool> held;
    {
        writer w(*conn, {});
        held = hold(w);
        started.wait();
        for (int i = 0; i < 5; ++i)
            results.push_back(std::async(std::launch::async, [&w, i] {
                return submit_wait(w, [i](write_view& v) {
                    v.save_dataset(make_dataset(make_id("d" + std::to_string(i))));
                    return true;
                });
            }));
        wait_queued(w, 5);
        release.count_down();  // the destructor now races the writer for the queued jobs
    }
    CHECK(held.get());
    for (int i = 0; i < 5; ++i) {
        CHECK(results[i].get());
        CHECK(state_of("d" + std::to_string(i)) == dataset_state::live);
    }
}

TEST_CASE_METHOD(writer_fixture, "expired used sessions are purged", "[writer]") {
    writer w(*conn, {.purge_interval = std::chrono::milliseconds(0)});
    submit_wait(w, [](write_view& v) {
        v.spend_session({"old", 1});
        v.spend_session({"new", INT64_MAX});
        return true;
    });
    submit_wait(w, [](write_view&) { return true; });  // a later batch purges
    connection r(dir.db(), open_mode::read_only);
    sql_view v(r);
    CHECK_FALSE(v.session_used({"old", 1}));
    CHECK(v.session_used({"new", INT64_MAX}));
}

// The checkpointer may get no CPU (it runs at a lower priority): the writer then rewinds the WAL
// itself once it holds wal_backstop_frames, so the file stops growing near that size.
TEST_CASE_METHOD(writer_fixture, "the writer rewinds a WAL nobody checkpoints", "[writer]") {
    constexpr int64_t backstop = 64;
    const auto frame = uintmax_t(page_size(*conn) + 24);
    const auto id = make_id("big");
    const std::string value(4096, 'v');
    {
        writer w(*conn, {.wal_backstop_frames = backstop, .backstop_interval = std::chrono::milliseconds(0)});
        submit_wait(w, [&](write_view& v) {
            v.save_dataset(make_dataset(id));
            return true;
        });
        for (int i = 1; i <= 300; ++i)  // a few frames each: about ten times the backstop
            submit_wait(w, [&, i](write_view& v) {
                v.put_record(id, make_record("k" + std::to_string(i % 50), value + std::to_string(i), i));
                return true;
            });
        CHECK(w.stats().wal_rewinds >= 3);
        CHECK(std::filesystem::file_size(dir.db() + "-wal") <= 2 * backstop * frame);
    }
    connection r(dir.db(), open_mode::read_only);
    CHECK(sql_view(r).find_record(id, "k0")->value == value + "300");
}
