// Sink delivery leases (storage/record_store.hpp): one holder at a time, renewed by its holder,
// free again once given up or run out.
#include <catch2/catch.hpp>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

bool take(record_store& store, const std::string& sink, const std::string& holder, int64_t ttl_ms) {
    bool held = false;
    must_write(store, [&](write_view& v) { held = v.take_sink_lease(sink, holder, ttl_ms); });
    return held;
}

}  // namespace

TEST_CASE("a sink lease has one holder until it is given up", "[leases]") {
    OPEN_EACH_BACKEND(s);
    const int64_t minute = 60000;
    CHECK(take(*s, "sink.a", "node-1", minute));
    CHECK_FALSE(take(*s, "sink.a", "node-2", minute));
    CHECK(take(*s, "sink.a", "node-1", minute));  // its holder renews it
    CHECK(take(*s, "sink.b", "node-2", minute));  // each sink has its own
    must_write(*s, [&](write_view& v) { v.release_sink_lease("sink.a", "node-2"); });
    CHECK_FALSE(take(*s, "sink.a", "node-2", minute));  // only the holder gives it up
    s.reopen();
    CHECK_FALSE(take(*s, "sink.a", "node-2", minute));  // a lease outlives the process that took it
    must_write(*s, [&](write_view& v) { v.release_sink_lease("sink.a", "node-1"); });
    CHECK(take(*s, "sink.a", "node-2", minute));
    CHECK_FALSE(take(*s, "sink.a", "node-1", minute));
}

TEST_CASE("a sink lease that ran out is taken by another holder", "[leases]") {
    OPEN_EACH_BACKEND(s);
    CHECK(take(*s, "sink.a", "node-1", 0));  // runs out at once
    CHECK(take(*s, "sink.a", "node-2", 60000));
    CHECK_FALSE(take(*s, "sink.a", "node-1", 60000));
}

TEST_CASE("a sink lease taken inside a job that rolls back is not taken", "[leases]") {
    OPEN_EACH_BACKEND(s);
    CHECK_FALSE(s->write([&](write_view& v) {
        v.take_sink_lease("sink.a", "node-1", 60000);
        return false;
    }));
    CHECK(take(*s, "sink.a", "node-2", 60000));
}
