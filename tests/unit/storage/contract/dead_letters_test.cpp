// Schema step 4: deliveries a sink set aside (retries per target, dead letters), their per-sink
// counter, and the outbox backlog count.
#include <catch2/catch.hpp>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

parked_delivery parked(std::string sink, int64_t event, std::string target, bool dead, int64_t next_ms = 0) {
    parked_delivery d;
    d.sink = std::move(sink);
    d.target = std::move(target);
    d.event = {event, "us-east-1:pool", "us-east-1:0001", "profile", "update", R"({"type":"update"})", 42};
    d.dead = dead;
    d.attempts = 1;
    d.first_failed_ms = 1000;
    d.next_ms = next_ms;
    d.reason = "HTTP 400";
    return d;
}

int64_t park(contract_store& s, const parked_delivery& d) {
    int64_t id = 0;
    must_write(*s, [&](write_view& v) { id = v.park_delivery(d); });
    return id;
}

}  // namespace

TEST_CASE("parked deliveries come due in order and keep a copy of their event", "[dead_letters]") {
    OPEN_EACH_BACKEND(s);
    park(s, parked("sink.a", 7, "dev2", false, 2000));
    park(s, parked("sink.a", 5, "dev1", false, 1500));
    park(s, parked("sink.a", 6, "dev1", true));
    park(s, parked("sink.b", 5, "dev1", false, 0));
    auto due = s->read([](read_view& v) { return v.due_deliveries("sink.a", 2000, 10); });
    REQUIRE(due.size() == 2);
    CHECK(due[0].event.id == 5);
    CHECK(due[0].target == "dev1");
    CHECK(due[0].event.payload == R"({"type":"update"})");
    CHECK(due[1].event.id == 7);
    CHECK(s->read([](read_view& v) { return v.due_deliveries("sink.a", 1999, 10).size(); }) == 1);
}

TEST_CASE("a dead letter is counted once per sink; a replay makes it due without lowering the total",
          "[dead_letters]") {
    OPEN_EACH_BACKEND(s);
    auto waiting = park(s, parked("sink.a", 5, "dev1", false, 100));
    auto again = parked("sink.a", 5, "dev1", true);
    again.attempts = 3;
    CHECK(park(s, again) == waiting);  // the same (sink, event, target): updated in place
    CHECK(park(s, again) == waiting);  // already dead: not counted twice
    park(s, parked("sink.a", 6, "", true));
    park(s, parked("sink.b", 6, "", true));
    auto counts = s->read([](read_view& v) { return v.dead_letter_counts(); });
    REQUIRE(counts.size() == 2);
    CHECK((counts[0].sink == "sink.a" && counts[0].dead == 2 && counts[0].total == 2));
    CHECK((counts[1].sink == "sink.b" && counts[1].dead == 1 && counts[1].total == 1));
    auto dead = s->read([](read_view& v) { return v.dead_letters("sink.a", 0, 10); });
    REQUIRE(dead.size() == 2);
    CHECK(dead[0].attempts == 3);
    CHECK(s->read([](read_view& v) { return v.dead_letters("", 0, 10).size(); }) == 3);
    CHECK(s->read([&](read_view& v) { return v.dead_letters("", dead[1].id, 10).size(); }) == 1);

    int64_t replayed = 0;
    must_write(*s, [&](write_view& v) { replayed = v.replay_dead_letters("sink.a", waiting, 5000); });
    CHECK(replayed == 1);
    auto due = s->read([](read_view& v) { return v.due_deliveries("sink.a", 5000, 10); });
    REQUIRE(due.size() == 1);
    CHECK((due[0].id == waiting && due[0].attempts == 0 && !due[0].dead));
    counts = s->read([](read_view& v) { return v.dead_letter_counts(); });
    CHECK((counts[0].dead == 1 && counts[0].total == 2));

    must_write(*s, [&](write_view& v) { replayed = v.replay_dead_letters("", 0, 5000); });
    CHECK(replayed == 2);
    must_write(*s, [&](write_view& v) { v.drop_parked(waiting); });
    CHECK(s->read([](read_view& v) { return v.due_deliveries("sink.a", 5000, 10).size(); }) == 1);
}

TEST_CASE("the outbox backlog counts the events after a cursor", "[dead_letters]") {
    OPEN_EACH_BACKEND(s);
    int64_t first = 0;
    must_write(*s, [&](write_view& v) {
        for (int i = 0; i < 5; ++i) {
            auto id = v.append_outbox({0, "p", "i", "d", "update", "{}", 1});
            if (i == 0) first = id;
        }
    });
    CHECK(s->read([](read_view& v) { return v.outbox_backlog(0); }) == 5);
    CHECK(s->read([&](read_view& v) { return v.outbox_backlog(first + 1); }) == 3);
}
