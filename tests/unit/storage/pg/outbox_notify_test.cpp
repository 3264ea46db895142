// The PostgreSQL engine's wake-up across nodes (storage/pg/pg_store.hpp): an outbox event one
// store commits calls the fn another store over the same database registered, and an emptied fn
// is never called again. Runs on the PostgreSQL run of the suite (unit_storage_pg) only.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <thread>

#include "tests/unit/storage/contract/backends.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

namespace {

bool eventually(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

void append_event(record_store& store) {
    must_write(store, [](write_view& v) { v.append_outbox({0, "p", "i", "d", "update", "{}", 1}); });
}

}  // namespace

TEST_CASE("an outbox event committed by one node wakes another", "[pg_notify]") {
    if (backends().front().name != "postgres") return;  // an embedded store has no other writer
    OPEN_EACH_BACKEND(a);
    auto b = a.open_another();
    std::atomic<int> woken{0};
    a->on_outbox_committed([&] { ++woken; });
    append_event(*b);
    CHECK(eventually([&] { return woken.load() > 0; }));

    // A job that rolls back notifies nobody; after the fn is emptied, nothing calls it.
    a->on_outbox_committed({});
    const int before = woken.load();
    b->write([](write_view& v) {
        v.append_outbox({0, "p", "i", "d", "update", "{}", 1});
        return false;
    });
    append_event(*b);
    std::atomic<int> seen_by_b{0};
    b->on_outbox_committed([&] { ++seen_by_b; });
    append_event(*a);
    CHECK(eventually([&] { return seen_by_b.load() > 0; }));  // the event that came after was heard
    CHECK(woken.load() == before);
    b->on_outbox_committed({});
}
