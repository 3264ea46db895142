#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <latch>
#include <thread>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

// One read-modify-write: the dataset's sync_count is the counter. A check-then-write rule, so it
// takes the identity's lock before its first read, as the contract asks.
bool bump(write_view& v, const dataset_id& id) {
    v.lock_identity(id.pool, id.identity);
    auto d = v.load_dataset(id);
    d.state = dataset_state::live;
    d.sync_count += 1;
    v.save_dataset(d);
    v.put_record(id, make_record("last", std::to_string(d.sync_count), d.sync_count));
    return true;
}

int64_t counter(record_store& store, const dataset_id& id) {
    return store.read([&](read_view& v) { return v.load_dataset(id).sync_count; });
}

}  // namespace

TEST_CASE("a write that returns false leaves nothing behind", "[write]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    CHECK_FALSE(s->write([&](write_view& v) {
        v.save_dataset(make_dataset(id));
        v.put_record(id, make_record("k", "v", 1));
        v.spend_session({"sid", INT64_MAX});
        return false;
    }));
    s->read([&](read_view& v) {
        CHECK(v.load_dataset(id).state == dataset_state::absent);
        CHECK_FALSE(v.find_record(id, "k"));
        CHECK_FALSE(v.session_used({"sid", INT64_MAX}));
        return 0;
    });
}

TEST_CASE("a throwing write reaches its caller and spares the others", "[write]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    must_write(*s, [&](write_view& v) { bump(v, id); });
    std::atomic<int> thrown{0}, kept{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t) {
        threads.emplace_back([&, t] {
            try {
                s->write([&](write_view& v) {
                    bump(v, id);
                    if (t % 2 == 1) throw std::runtime_error("boom " + std::to_string(t));
                    return true;
                });
                ++kept;
            } catch (const std::runtime_error& e) {
                if (std::string(e.what()) == "boom " + std::to_string(t)) ++thrown;
            }
        });
    }
    for (auto& th : threads) th.join();
    CHECK(thrown == 4);
    CHECK(kept == 4);
    CHECK(counter(*s, id) == 5);
}

TEST_CASE("concurrent read-modify-write loses no update", "[write][concurrency]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    constexpr int writers = 16, each = 200;
    std::atomic<bool> done{false};
    std::atomic<int> went_backwards{0};
    std::thread reader([&] {
        int64_t last = 0;
        while (!done) {
            const auto now = counter(*s, id);
            if (now < last) ++went_backwards;
            last = now;
        }
    });
    std::vector<std::thread> threads;
    for (int t = 0; t < writers; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < each; ++i) s->write([&](write_view& v) { return bump(v, id); });
        });
    for (auto& th : threads) th.join();
    done = true;
    reader.join();
    CHECK(counter(*s, id) == writers * each);
    CHECK(went_backwards == 0);
    auto last = s->read([&](read_view& v) { return v.find_record(id, "last"); });
    REQUIRE(last);
    CHECK(last->value == std::to_string(writers * each));
}

TEST_CASE("committed data survives closing and reopening", "[write]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    for (int round = 1; round <= 3; ++round) {
        CHECK(counter(*s, id) == round - 1);
        must_write(*s, [&](write_view& v) { bump(v, id); });
        s.reopen();
    }
    CHECK(counter(*s, id) == 3);
}

TEST_CASE("reads proceed while a write job is blocked", "[write][concurrency]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    must_write(*s, [&](write_view& v) { bump(v, id); });

    std::latch started(1), release(1);
    auto blocked = std::async(std::launch::async, [&] {
        return s->write([&](write_view& v) {
            bump(v, id);
            started.count_down();
            release.wait();
            return true;
        });
    });
    started.wait();
    auto read = std::async(std::launch::async, [&] { return counter(*s, id); });
    const bool read_finished = read.wait_for(std::chrono::seconds(20)) == std::future_status::ready;
    release.count_down();
    REQUIRE(read_finished);
    CHECK(read.get() == 1);  // the blocked write is not visible yet
    CHECK(blocked.get());
    CHECK(counter(*s, id) == 2);
}

TEST_CASE("two stores in one process share nothing", "[write]") {
    OPEN_EACH_BACKEND(first);
    contract_store second(first.engine());
    const auto id = make_id();
    must_write(*first, [&](write_view& v) { bump(v, id); });
    CHECK(counter(*first, id) == 1);
    CHECK(counter(*second, id) == 0);
}

TEST_CASE("lock_identity serializes a check-then-write rule", "[write][concurrency]") {
    OPEN_EACH_BACKEND(s);
    // Each thread creates a dataset while the identity has fewer than `limit` live ones, as
    // UpdateRecords' dataset limit does. With the lock no two jobs act on the same count.
    constexpr int limit = 5, threads_n = 12;
    const auto who = make_id();
    std::atomic<int> created{0};
    std::latch go(threads_n);
    std::vector<std::thread> threads;
    for (int t = 0; t < threads_n; ++t)
        threads.emplace_back([&, t] {
            go.arrive_and_wait();
            const bool kept = s->write([&](write_view& v) {
                v.lock_identity(who.pool, who.identity);
                if (v.live_dataset_count(who.pool, who.identity) >= limit) return false;
                v.save_dataset(make_dataset(make_id("d" + std::to_string(t))));
                return true;
            });
            if (kept) ++created;
        });
    for (auto& th : threads) th.join();
    CHECK(created == limit);
    CHECK(s->read([&](read_view& v) { return v.live_dataset_count(who.pool, who.identity); }) == limit);
}

TEST_CASE("lock_identity may be taken again, and for several identities, in one job", "[write]") {
    OPEN_EACH_BACKEND(s);
    must_write(*s, [](write_view& v) {
        v.lock_identity("us-east-1:pool", "us-east-1:0001");
        v.lock_identity("us-east-1:pool", "us-east-1:0001");
        v.lock_identity("us-east-1:pool", "us-east-1:0002");
        v.lock_identity("us-east-1:other", "us-east-1:0001");
        v.save_dataset(make_dataset(make_id()));
    });
    CHECK(counter(*s, make_id()) == 1);
}

// A job may run more than once (storage/record_store.hpp): an engine with many writers rolls an
// attempt back after a serialization failure and runs the same job again. Here the store runs one
// job object twice, its first attempt failing as such an attempt would; because the job resets
// what it captured, its answer is the one a single run gives.
TEST_CASE("a job that resets what it captured gives the same answer when run again", "[write][retry]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    must_write(*s, [&](write_view& v) {
        v.save_dataset(make_dataset(id, dataset_state::live, 1));
        v.put_records(id, {make_record("a", "1", 1), make_record("b", "1", 1)});
    });
    struct serialization_failure {};
    int attempts = 0;
    std::vector<std::string> keys_seen;
    int64_t new_count = 0;
    const record_store::write_job job = [&](write_view& v) {
        keys_seen.clear();
        new_count = 0;
        v.lock_identity(id.pool, id.identity);
        for (const auto& r : v.records_page(id, {})) keys_seen.push_back(r.key);
        auto d = v.load_dataset(id);
        d.sync_count += 1;
        v.save_dataset(d);
        v.put_record(id, make_record("c", "1", d.sync_count));
        new_count = d.sync_count;
        if (++attempts == 1) throw serialization_failure{};
        return true;
    };
    CHECK_THROWS_AS(s->write(job), serialization_failure);
    CHECK(s->write(job));
    CHECK(attempts == 2);
    CHECK(keys_seen == std::vector<std::string>{"a", "b"});
    CHECK(new_count == 2);
    CHECK(counter(*s, id) == 2);
    CHECK(s->read([&](read_view& v) { return v.find_record(id, "c"); })->sync_count == 2);
}
