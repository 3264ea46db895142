#include <catch2/catch.hpp>

#include <chrono>
#include <thread>

#include "tests/unit/storage/store_fixture.hpp"

using namespace cogsync::storage;
using namespace cogsync::storage::testing;

TEST_CASE("spend_session marks a session id used exactly once", "[sessions]") {
    temp_dir dir;
    sqlite_store store(dir.options());
    auto spend = [&](const std::string& sid) {
        bool first = false;
        must_write(store, [&](write_view& v) { first = v.spend_session(sid, INT64_MAX); });
        return first;
    };
    CHECK_FALSE(store.read([](read_view& v) { return v.session_used("s1"); }));
    CHECK(spend("s1"));
    CHECK_FALSE(spend("s1"));
    CHECK(spend("s2"));
    CHECK(store.read([](read_view& v) { return v.session_used("s1"); }));
}

TEST_CASE("a rolled-back write does not spend the session", "[sessions]") {
    temp_dir dir;
    sqlite_store store(dir.options());
    CHECK_FALSE(store.write([](write_view& v) {
        v.spend_session("s1", INT64_MAX);
        return false;
    }));
    CHECK_FALSE(store.read([](read_view& v) { return v.session_used("s1"); }));
}

TEST_CASE("session counts survive closing the store", "[sessions]") {
    temp_dir dir;
    {
        sqlite_store store(dir.options());
        for (int i = 0; i < 3; ++i) store.count_session("p1");
        store.count_session("p2");
    }
    sqlite_store store(dir.options());
    auto p1 = store.read([](read_view& v) { return v.usage_of_pool("p1"); });
    REQUIRE(p1);
    CHECK(p1->sync_sessions == 3);
    store.count_session("p1");
    store.write([](write_view&) { return true; });
    CHECK(store.read([](read_view& v) { return v.usage_of_pool("p1"); })->sync_sessions == 4);
    CHECK(store.read([](read_view& v) { return v.usage_of_pool("p2"); })->sync_sessions == 1);
}

TEST_CASE("session counts reach the file without any write", "[sessions]") {
    temp_dir dir;
    sqlite_store store(dir.options());
    store.count_session("p1");
    // The writer flushes about once a second when idle; poll generously rather than time it.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    std::optional<pool_usage> seen;
    while (!seen && std::chrono::steady_clock::now() < give_up) {
        seen = store.read([](read_view& v) { return v.usage_of_pool("p1"); });
        if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    REQUIRE(seen);
    CHECK(seen->sync_sessions == 1);
}
