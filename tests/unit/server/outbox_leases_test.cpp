// outbox_deliverer on a store that several nodes share: each sink is delivered by the node
// holding its lease, every event once and in order while nothing fails; a node that stops or
// whose lease ran out hands the sink over at the stored cursor, and a node that lost its lease
// never moves the cursor (server/hooks/outbox_deliverer.hpp).
#include <catch2/catch.hpp>

#include "server/hooks/outbox_deliverer.hpp"
#include "tests/unit/server/scripted_sink.hpp"

using namespace cogsync;
using namespace cogsync::server;
using namespace cogsync::server::testing;

namespace {

struct node {
    scripted_sink* sink = nullptr;
    std::unique_ptr<outbox_deliverer> outbox;

    node(storage::record_store& store, const std::string& holder, int64_t ttl_ms) {
        auto s = std::make_unique<scripted_sink>();
        sink = s.get();
        std::vector<std::pair<std::string, std::unique_ptr<server::sink>>> sinks;
        sinks.emplace_back("sink.s", std::move(s));
        outbox = std::make_unique<outbox_deliverer>(store, std::move(sinks), retry_limits{}, lease_terms{holder, ttl_ms});
        outbox->start();
    }
    std::vector<int64_t> events() {
        std::lock_guard lock(sink->m);
        std::vector<int64_t> out;
        for (const auto& d : sink->delivered) out.push_back(d.first);
        return out;
    }
    bool leased() { return outbox->sinks().at(0).leased; }
};

int64_t stored_cursor(fixture& f) {
    return f.store.read([](storage::read_view& v) { return v.sink_cursor("sink.s"); });
}

std::vector<int64_t> append(fixture& f, int n) {
    std::vector<int64_t> ids;
    for (int i = 0; i < n; ++i) ids.push_back(f.append());
    return ids;
}

}  // namespace

TEST_CASE("outbox leases: of two nodes on one store, one delivers each event once and in order") {
    fixture f;
    node a(f.store, "node-a", 60000);  // started first: takes the lease
    node b(f.store, "node-b", 60000);
    auto ids = append(f, 150);  // more than two pages
    a.outbox->notify();
    b.outbox->notify();
    REQUIRE(eventually([&] { return stored_cursor(f) == ids.back(); }));
    CHECK(a.events() == ids);
    CHECK(b.events().empty());
    CHECK(a.leased());
    CHECK_FALSE(b.leased());
}

TEST_CASE("outbox leases: a node that stops hands its sink to the other at the stored cursor") {
    fixture f;
    node a(f.store, "node-a", 60000);
    node b(f.store, "node-b", 60000);
    auto first = append(f, 10);
    a.outbox->notify();
    REQUIRE(eventually([&] { return stored_cursor(f) == first.back(); }));
    a.outbox->stop();  // gives the lease up
    auto second = append(f, 10);
    b.outbox->notify();
    REQUIRE(eventually([&] { return stored_cursor(f) == second.back(); }));
    CHECK(a.events() == first);
    CHECK(b.events() == second);  // from the cursor on: nothing again, nothing skipped
    CHECK(b.leased());
}

TEST_CASE("outbox leases: a lease left by a node that died is taken over once it runs out") {
    fixture f;
    f.store.write([](storage::write_view& v) { return v.take_sink_lease("sink.s", "died", 300); });
    auto ids = append(f, 5);
    node b(f.store, "node-b", 60000);
    REQUIRE(eventually([&] { return stored_cursor(f) == ids.back(); }));
    CHECK(b.events() == ids);
}

TEST_CASE("outbox leases: a node whose lease was taken stops and never moves the cursor") {
    fixture f;
    node a(f.store, "node-a", 60000);
    auto first = append(f, 3);
    a.outbox->notify();
    REQUIRE(eventually([&] { return stored_cursor(f) == first.back(); }));
    // Another node holds the lease now (as if node-a's had run out while it was cut off).
    f.store.write([](storage::write_view& v) {
        v.release_sink_lease("sink.s", "node-a");
        return v.take_sink_lease("sink.s", "node-c", 60000);
    });
    append(f, 3);
    a.outbox->notify();
    REQUIRE(eventually([&] { return !a.leased(); }));
    CHECK(stored_cursor(f) == first.back());
}
