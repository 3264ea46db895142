// sink_worker: a delivery refused for good or failing past the limits is a dead letter and the
// sink goes on; the failed targets of a fan-out are retried alone; replayed dead letters are
// picked up (server/hooks/sink_worker.hpp).
#include <catch2/catch.hpp>

#include "server/hooks/sink_worker.hpp"
#include "tests/unit/server/scripted_sink.hpp"

using namespace cogsync;
using namespace cogsync::server;
using namespace cogsync::server::testing;

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
    w.lease_until(INT64_MAX);  // alone on its store: the lease is its own
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
    w.lease_until(INT64_MAX);  // alone on its store: the lease is its own
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
    w.lease_until(INT64_MAX);  // alone on its store: the lease is its own
    w.start();
    REQUIRE(eventually([&] { return sink->got(first, "dev1") && sink->got(second, "dev1"); }));
    REQUIRE(eventually([&] { return sink->got(first, "dev2") && sink->got(second, "dev2"); }));
    CHECK(f.dead().empty());
    REQUIRE(eventually([&] {
        return f.store.read([](storage::read_view& v) { return v.due_deliveries("sink.s", INT64_MAX, 10).empty(); });
    }));
}
