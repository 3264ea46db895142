// sink_worker: a delivery refused for good or failing past the limits is a dead letter and the
// sink goes on; the failed targets of a fan-out are retried alone; replayed dead letters are
// picked up (server/hooks/sink_worker.hpp).
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <mutex>
#include <set>
#include <thread>

#include "server/hooks/sink_worker.hpp"
#include "storage/sqlite/sqlite_store.hpp"
#include "tests/unit/storage/sqlite/sqlite_fixture.hpp"

using namespace cogsync;
using namespace cogsync::server;

namespace {

// Fails what `fail` says to fail (by throwing what it returns), records what it delivered.
struct scripted_sink : sink {
    std::mutex m;
    std::vector<std::pair<int64_t, std::string>> delivered;  // (event, target)
    std::function<void(int64_t event, const std::string& target)> fail = [](int64_t, const std::string&) {};
    std::vector<std::string> targets;  // "" = the event is one delivery

    void handle(const change_event& e, storage::record_store&) override {
        if (targets.empty()) return handle_one(e.id, "");
        std::vector<target_failure> failed;
        for (const auto& t : targets) {
            try {
                handle_one(e.id, t);
            } catch (const std::exception& ex) {
                failed.push_back({t, ex.what(), dynamic_cast<const delivery_refused*>(&ex) != nullptr});
            }
        }
        if (!failed.empty()) throw targets_failed(failed);
    }
    void handle_target(const change_event& e, const std::string& target, storage::record_store&) override {
        handle_one(e.id, target);
    }
    void handle_one(int64_t id, const std::string& target) {
        fail(id, target);
        std::lock_guard lock(m);
        delivered.emplace_back(id, target);
    }
    bool got(int64_t id, const std::string& target = "") {
        std::lock_guard lock(m);
        return std::find(delivered.begin(), delivered.end(), std::make_pair(id, target)) != delivered.end();
    }
};

struct fixture {
    storage::testing::temp_dir dir;
    storage::sqlite_store store{storage::testing::sqlite_options(dir, storage::durability::normal)};

    int64_t append() {
        int64_t id = 0;
        store.write([&](storage::write_view& v) {
            id = v.append_outbox({0, "p", "i", "d", "update", R"({"type":"update"})", 1});
            return true;
        });
        return id;
    }
    std::vector<storage::parked_delivery> dead() {
        return store.read([](storage::read_view& v) { return v.dead_letters("", 0, 100); });
    }
};

// Waits for `done` with a deadline; false if it never came.
bool eventually(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

}  // namespace

TEST_CASE("sink worker: a refused event is a dead letter and the events after it are delivered") {
    fixture f;
    auto s = std::make_unique<scripted_sink>();
    auto* sink = s.get();
    auto refused = f.append();
    auto next = f.append();
    sink->fail = [refused](int64_t id, const std::string&) {
        if (id == refused) throw delivery_refused("HTTP 413");
    };
    sink_worker w("sink.s", std::move(s), f.store);
    w.start();
    REQUIRE(eventually([&] { return sink->got(next); }));
    auto dead = f.dead();
    REQUIRE(dead.size() == 1);
    CHECK((dead[0].event.id == refused && dead[0].sink == "sink.s" && dead[0].reason == "HTTP 413"));
    auto counts = f.store.read([](storage::read_view& v) { return v.dead_letter_counts(); });
    REQUIRE(counts.size() == 1);
    CHECK(counts[0].total == 1);

    // replayed while the worker runs: delivered again, and no longer dead
    sink->fail = [](int64_t, const std::string&) {};
    f.store.write([&](storage::write_view& v) { return v.replay_dead_letters("sink.s", 0, 0) == 1; });
    REQUIRE(eventually([&] { return sink->got(refused); }));
    REQUIRE(eventually([&] { return f.dead().empty(); }));
}

TEST_CASE("sink worker: an event failing past the attempt limit is a dead letter") {
    fixture f;
    auto s = std::make_unique<scripted_sink>();
    auto* sink = s.get();
    auto down = f.append();
    auto next = f.append();
    std::atomic<int> tries{0};
    sink->fail = [&, down](int64_t id, const std::string&) {
        if (id == down) ++tries, throw std::runtime_error("HTTP 503");
    };
    sink_worker w("sink.s", std::move(s), f.store, retry_limits{3, std::chrono::seconds(0)});
    w.start();
    REQUIRE(eventually([&] { return sink->got(next); }));
    CHECK(tries == 3);
    auto dead = f.dead();
    REQUIRE(dead.size() == 1);
    CHECK((dead[0].event.id == down && dead[0].attempts == 3));
}

TEST_CASE("sink worker: a failed target is retried alone while later events go on") {
    fixture f;
    auto s = std::make_unique<scripted_sink>();
    auto* sink = s.get();
    sink->targets = {"dev1", "dev2"};
    std::atomic<int> dev2_tries{0};
    sink->fail = [&](int64_t, const std::string& target) {
        if (target == "dev2" && ++dev2_tries < 3) throw std::runtime_error("HTTP 503");
    };
    auto first = f.append();
    auto second = f.append();
    sink_worker w("sink.s", std::move(s), f.store);
    w.start();
    REQUIRE(eventually([&] { return sink->got(first, "dev1") && sink->got(second, "dev1"); }));
    REQUIRE(eventually([&] { return sink->got(first, "dev2") && sink->got(second, "dev2"); }));
    CHECK(f.dead().empty());
    REQUIRE(eventually([&] {
        return f.store.read([](storage::read_view& v) { return v.due_deliveries("sink.s", INT64_MAX, 10).empty(); });
    }));
}
