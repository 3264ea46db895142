// write_async (storage/record_store.hpp): done runs exactly once, after the commit, on an engine
// thread; a job that returns false or throws leaves nothing behind and takes no other job down.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <future>
#include <latch>
#include <memory>
#include <thread>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

// Thrown by a job; deliberately not a std::exception, so that only the job's own exception
// object, carried unchanged, can satisfy the checks.
struct job_failure {
    int which;
};

// What one job's done reported, and how often it was called.
class completion {
public:
    record_store::write_done callback() {
        return [this](bool kept, std::exception_ptr error) {
            if (calls_.fetch_add(1) > 0) return;
            kept_ = kept;
            error_ = error;
            thread_ = std::this_thread::get_id();
            reported_.set_value();
        };
    }
    // Waits for the first call; false if none came.
    bool arrived() { return first_.wait_for(std::chrono::seconds(30)) == std::future_status::ready; }
    bool kept() const { return kept_; }
    std::exception_ptr error() const { return error_; }
    std::thread::id thread() const { return thread_; }
    int calls() const { return calls_.load(); }

private:
    std::promise<void> reported_;
    std::future<void> first_ = reported_.get_future();
    std::atomic<int> calls_{0};
    bool kept_ = false;
    std::exception_ptr error_;
    std::thread::id thread_;
};

// A change to every kind of state a job can write.
void touch_everything(write_view& v, const dataset_id& id) {
    v.save_dataset(make_dataset(id));
    v.put_records(id, {make_record("k", "v", 1), make_record("t", std::nullopt, 1)});
    v.spend_session({"sid", INT64_MAX});
    v.append_outbox({0, id.pool, id.identity, id.name, "update", "{}", 1});
    v.set_sink_cursor("sink", 7);
    v.save_node_value("node", "value");
    v.save_device({"dev", id.pool, id.identity, "GCM", "tok"});
    v.subscribe(id, "dev");
}

void check_nothing_left(record_store& store, const dataset_id& id) {
    store.read([&](read_view& v) {
        CHECK(v.load_dataset(id).state == dataset_state::absent);
        CHECK(v.find_records(id, {"k", "t"}).empty());
        CHECK_FALSE(v.session_used({"sid", INT64_MAX}));
        CHECK(v.outbox_page(0, SIZE_MAX).empty());
        CHECK(v.sink_cursor("sink") == 0);
        CHECK_FALSE(v.node_value("node"));
        CHECK_FALSE(v.find_device(id.pool, id.identity, "dev"));
        CHECK_FALSE(v.is_subscribed(id, "dev"));
        return 0;
    });
}

int rethrown_failure(const std::exception_ptr& error) {
    try {
        std::rethrow_exception(error);
    } catch (const job_failure& f) {
        return f.which;
    } catch (...) {
        return -1;
    }
}

}  // namespace

TEST_CASE("write_async calls done once, after the commit, on a thread of the engine", "[write_async]") {
    completion c;  // declared before the store, which may call it until it is destroyed
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    s->write_async(
        [&](write_view& v) {
            v.save_dataset(make_dataset(id));
            return true;
        },
        c.callback());
    REQUIRE(c.arrived());
    CHECK(c.kept());
    CHECK_FALSE(c.error());
    CHECK(c.thread() != std::this_thread::get_id());
    // done came after the commit: a reader that starts now sees the change.
    CHECK(s->read([&](read_view& v) { return v.load_dataset(id).state; }) == dataset_state::live);
    s.reopen();  // the engine has nothing left to call
    CHECK(c.calls() == 1);
}

TEST_CASE("a job that returns false reports kept=false and leaves nothing behind", "[write_async]") {
    completion c;  // declared before the store, which may call it until it is destroyed
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    s->write_async(
        [&](write_view& v) {
            touch_everything(v, id);
            return false;
        },
        c.callback());
    REQUIRE(c.arrived());
    CHECK_FALSE(c.kept());
    CHECK_FALSE(c.error());
    check_nothing_left(*s, id);
    s.reopen();
    check_nothing_left(*s, id);
    CHECK(c.calls() == 1);
}

TEST_CASE("a job's exception reaches its done, and only that job is rolled back", "[write_async]") {
    // A first job holds the engine until the others are queued, so that an engine that commits
    // in groups (SQLite) takes them as one batch. What the jobs and their done use is declared
    // before the store, which may use it until it is destroyed.
    std::latch started(1), release(1);
    completion held;
    constexpr int jobs = 12;
    std::vector<std::unique_ptr<completion>> done;
    OPEN_EACH_BACKEND(s);
    s->write_async(
        [&](write_view&) {
            started.count_down();
            release.wait();
            return true;
        },
        held.callback());
    started.wait();

    // i % 4: 0 keeps, 1 throws its own exception, 2 returns false, 3 fails in the engine.
    for (int i = 0; i < jobs; ++i) {
        done.push_back(std::make_unique<completion>());
        const auto id = make_id("d" + std::to_string(i));
        s->write_async(
            [i, id](write_view& v) {
                v.save_dataset(make_dataset(id));
                v.append_outbox({0, id.pool, id.identity, id.name, "update", std::to_string(i), 1});
                if (i % 4 == 1) throw job_failure{i};
                if (i % 4 == 3) v.put_record(make_id("missing"), make_record("k", "v", 1));
                return i % 4 != 2;
            },
            done.back()->callback());
    }
    release.count_down();
    REQUIRE(held.arrived());
    for (auto& c : done) REQUIRE(c->arrived());

    std::vector<std::string> kept_payloads;
    for (int i = 0; i < jobs; ++i) {
        INFO("job " << i);
        const auto& c = *done[i];
        CHECK(c.kept() == (i % 4 == 0));
        if (i % 4 == 1) CHECK(rethrown_failure(c.error()) == i);
        if (i % 4 == 3) CHECK_THROWS_AS(std::rethrow_exception(c.error()), storage_error);
        if (i % 4 == 0 || i % 4 == 2) CHECK_FALSE(c.error());
        const auto state = s->read([&](read_view& v) { return v.load_dataset(make_id("d" + std::to_string(i))).state; });
        CHECK(state == (i % 4 == 0 ? dataset_state::live : dataset_state::absent));
        if (i % 4 == 0) kept_payloads.push_back(std::to_string(i));
    }
    std::vector<std::string> payloads;
    for (const auto& e : s->read([](read_view& v) { return v.outbox_page(0, SIZE_MAX); })) payloads.push_back(e.payload);
    std::sort(payloads.begin(), payloads.end());  // commit order is the engine's to choose
    CHECK(payloads == kept_payloads);

    s.reopen();
    CHECK(held.calls() == 1);
    for (const auto& c : done) CHECK(c->calls() == 1);
}

TEST_CASE("a completion may hand the store its next job", "[write_async]") {
    OPEN_EACH_BACKEND(s);
    completion first, second;
    auto chain = first.callback();
    s->write_async([](write_view& v) { v.save_dataset(make_dataset(make_id("first"))); return true; },
                   [&, chain](bool kept, std::exception_ptr error) {
                       chain(kept, error);
                       s->write_async([](write_view& v) { v.save_dataset(make_dataset(make_id("second"))); return true; },
                                      second.callback());
                   });
    REQUIRE(first.arrived());
    REQUIRE(second.arrived());
    CHECK(second.kept());
    CHECK_FALSE(second.error());
    CHECK(s->read([](read_view& v) { return v.load_dataset(make_id("second")).state; }) == dataset_state::live);
}

TEST_CASE("a job chained by a completion while the store closes reaches its done, and what it reports holds",
          "[write_async]") {
    OPEN_EACH_BACKEND(s);
    completion second;
    record_store& closing = *s;  // s's pointer is already swapped out while the store closes
    s->write_async([](write_view& v) { v.save_dataset(make_dataset(make_id("first"))); return true; },
                   [&](bool, std::exception_ptr) {
                       closing.write_async([](write_view& v) { v.save_dataset(make_dataset(make_id("second"))); return true; },
                                      second.callback());
                   });
    s.reopen();  // destroys the store at once: the first job, if not yet run, runs while it closes
    REQUIRE(second.arrived());
    CHECK(second.calls() == 1);
    const auto state = s->read([](read_view& v) { return v.load_dataset(make_id("second")).state; });
    if (second.kept()) CHECK(state == dataset_state::live);
    else CHECK_THROWS_AS(std::rethrow_exception(second.error()), storage_error);
    if (!second.kept()) CHECK(state == dataset_state::absent);
}

TEST_CASE("write() rethrows the job's own exception and rolls the job back", "[write]") {
    OPEN_EACH_BACKEND(s);
    const auto id = make_id();
    int caught = -1;
    try {
        s->write([&](write_view& v) -> bool {
            touch_everything(v, id);
            throw job_failure{42};
        });
    } catch (const job_failure& f) {
        caught = f.which;
    }
    CHECK(caught == 42);
    check_nothing_left(*s, id);
}
